import { useEffect, useImperativeHandle, useRef, type Ref } from 'react'
import type { SourceLanguage, SourceLocation } from '../../core/engines/engine'
import { monaco } from './monaco'

export interface CodeEditorHandle {
  /** Moves the cursor to a 1-based line and column, scrolls there and focuses the editor. */
  goTo(location: SourceLocation): void
  /** Replaces the whole text (a link or a restored draft), keeping undo history. */
  replaceText(text: string): void
  focus(): void
}

/** A problem to underline in the editor (1-based lines and columns). */
export interface EditorMarker {
  readonly line: number
  readonly column: number
  readonly endLine: number
  readonly endColumn: number
  readonly severity: 'error' | 'warning' | 'info'
  readonly message: string
  /** Rule id shown next to the message. */
  readonly code: string
  /** A safe rewrite offered as a quick fix (Ctrl+. or the light bulb). */
  readonly fix?: {
    readonly title: string
    readonly edits: readonly { readonly line: number; readonly column: number; readonly endLine: number; readonly endColumn: number; readonly text: string }[]
  }
}

export interface CodeEditorProps {
  readonly initialText: string
  /** Findings for the text as it is now; the caller passes none while they are stale. */
  readonly markers?: readonly EditorMarker[]
  readonly language: SourceLanguage
  readonly onChange: (text: string) => void
  /** Ctrl/Cmd+Enter inside the editor. */
  readonly onRunShortcut: () => void
  readonly ref?: Ref<CodeEditorHandle>
}

const MONACO_LANGUAGE: Record<SourceLanguage, string> = { js: 'javascript', ts: 'typescript' }

/** Monaco, bundled and served by the app. The text is owned by Monaco; changes are reported up. */
const MARKER_SEVERITY = { error: monaco.MarkerSeverity.Error, warning: monaco.MarkerSeverity.Warning, info: monaco.MarkerSeverity.Info } as const
const MARKER_OWNER = 'airlock-scan'

export function CodeEditor({ initialText, language, markers = [], onChange, onRunShortcut, ref }: CodeEditorProps) {
  const containerRef = useRef<HTMLDivElement>(null)
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null)
  const callbacksRef = useRef({ onChange, onRunShortcut })
  callbacksRef.current = { onChange, onRunShortcut }
  const markersRef = useRef<readonly EditorMarker[]>(markers)
  markersRef.current = markers

  useEffect(() => {
    const container = containerRef.current
    if (!container) return
    const model = monaco.editor.createModel(initialText, MONACO_LANGUAGE[language])
    const editor = monaco.editor.create(container, {
      model,
      automaticLayout: true,
      minimap: { enabled: false },
      fontSize: 14,
      scrollBeyondLastLine: false,
      ariaLabel: 'Code editor',
      tabSize: 2,
      renderWhitespace: 'selection',
      // Flag invisible and look-alike characters in pasted code (Trojan Source).
      unicodeHighlight: { ambiguousCharacters: true, invisibleCharacters: true, nonBasicASCII: false },
    })
    editorRef.current = editor
    editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => callbacksRef.current.onRunShortcut())
    const subscription = model.onDidChangeContent(() => callbacksRef.current.onChange(model.getValue()))
    // Quick fixes for the scanner's markers that carry a safe rewrite.
    const quickFixes = ['javascript', 'typescript'].map((languageId) =>
      monaco.languages.registerCodeActionProvider(languageId, {
        provideCodeActions(target, _range, context) {
          if (target !== model) return { actions: [], dispose: () => undefined }
          const actions: monaco.languages.CodeAction[] = []
          for (const diagnostic of context.markers) {
            const marker = markersRef.current.find(
              (candidate) =>
                candidate.fix &&
                candidate.line === diagnostic.startLineNumber &&
                candidate.column === diagnostic.startColumn &&
                candidate.code === (typeof diagnostic.code === 'string' ? diagnostic.code : diagnostic.code?.value),
            )
            if (!marker?.fix) continue
            actions.push({
              title: marker.fix.title,
              kind: 'quickfix',
              diagnostics: [diagnostic],
              isPreferred: true,
              edit: {
                edits: marker.fix.edits.map((edit) => ({
                  resource: model.uri,
                  versionId: model.getVersionId(),
                  textEdit: { range: new monaco.Range(edit.line, edit.column, edit.endLine, edit.endColumn), text: edit.text },
                })),
              },
            })
          }
          return { actions, dispose: () => undefined }
        },
      }),
    )
    return () => {
      for (const provider of quickFixes) provider.dispose()
      subscription.dispose()
      editor.dispose()
      model.dispose()
      editorRef.current = null
    }
    // The editor is created once; text and language changes go through the handle and the effect below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])

  useEffect(() => {
    const model = editorRef.current?.getModel()
    if (model) monaco.editor.setModelLanguage(model, MONACO_LANGUAGE[language])
  }, [language])

  useEffect(() => {
    const model = editorRef.current?.getModel()
    if (!model) return
    // Monaco renders marker messages as text in its hover.
    monaco.editor.setModelMarkers(
      model,
      MARKER_OWNER,
      markers.map((marker) => ({
        startLineNumber: marker.line,
        startColumn: marker.column,
        endLineNumber: marker.endLine,
        endColumn: marker.endColumn,
        severity: MARKER_SEVERITY[marker.severity],
        message: marker.message,
        code: marker.code,
        source: 'Airlock',
      })),
    )
  }, [markers])

  useImperativeHandle(
    ref,
    () => ({
      goTo(location) {
        const editor = editorRef.current
        if (!editor) return
        const position = { lineNumber: location.line, column: location.column }
        editor.setPosition(position)
        editor.revealPositionInCenter(position)
        editor.focus()
      },
      replaceText(text) {
        const editor = editorRef.current
        const model = editor?.getModel()
        if (!editor || !model) return
        editor.pushUndoStop()
        editor.executeEdits('airlock', [{ range: model.getFullModelRange(), text }])
        editor.pushUndoStop()
      },
      focus() {
        editorRef.current?.focus()
      },
    }),
    [],
  )

  return <div ref={containerRef} className="code-editor" />
}

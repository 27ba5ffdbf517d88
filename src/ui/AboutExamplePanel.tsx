import { useId } from 'react'

export interface AboutExamplePanelProps {
  readonly title: string
  /** Plain text; paragraphs are separated by a blank line. Shown as text, never as HTML. */
  readonly explanation: string
  readonly onClose: () => void
}

/** The explanation of the example in the editor, next to its code. */
export function AboutExamplePanel({ title, explanation, onClose }: AboutExamplePanelProps) {
  const headingId = useId()
  return (
    <section className="panel about-example" aria-labelledby={headingId}>
      <div className="panel-header">
        <h2 id={headingId}>About this example</h2>
        <button type="button" className="button small" onClick={onClose}>
          Close explanation
        </button>
      </div>
      {/* Scrolls when long; focusable so that the keyboard can scroll it too. */}
      <div className="about-example-body" tabIndex={0}>
        <p className="about-example-title">{title}</p>
        {explanation.split(/\n\s*\n/).map((paragraph, index) => (
          <p key={index}>{paragraph}</p>
        ))}
      </div>
    </section>
  )
}

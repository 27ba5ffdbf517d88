/** `console.table` drawn as Node 20 draws it (box-drawing characters, cells left-aligned). */
import { displayWidth, inspect } from './inspect'
import {
  ArrayIsArray,
  MapCtor,
  MapIteratorPrototypeNext,
  MapPrototypeGet,
  MapPrototypeSet,
  MapPrototypeEntries,
  MapPrototypeGetSize,
  MathMax,
  ObjectKeys,
  ObjectSetPrototypeOf,
  SetIteratorPrototypeNext,
  SetPrototypeGetSize,
  SetPrototypeValues,
  StringCtor,
  StringPrototypeRepeat,
  hasBrand,
  joinList,
  newList,
  ownDescriptor,
  push,
} from './primordials'

const INDEX_KEY = '(index)'
const ITERATION_KEY = '(iteration index)'
const KEY_KEY = 'Key'
const VALUES_KEY = 'Values'

const width = displayWidth

/** A cell value: nested objects shallow (`[Object]` when they have more than two keys). */
function cell(value: unknown): string {
  let depth = 0
  if (value !== null && typeof value === 'object' && !ArrayIsArray(value) && ObjectKeys(value).length > 2) depth = -1
  return inspect(value, { depth, maxArrayLength: 3, breakLength: Infinity })
}

function renderRow(row: readonly string[], widths: readonly number[]): string {
  let out = '│ '
  for (let index = 0; index < row.length; index++) {
    const text = row[index]!
    out += text + StringPrototypeRepeat(' ', widths[index]! - width(text))
    if (index !== row.length - 1) out += ' │ '
  }
  return out + ' │'
}

/** Draws the table; `columns[i][row]` may be missing (an empty cell). */
function drawTable(head: readonly string[], columns: readonly (readonly (string | undefined)[])[]): string {
  const widths: number[] = newList()
  let rowCount = 0
  for (let index = 0; index < head.length; index++) {
    widths[index] = width(head[index]!)
    rowCount = MathMax(rowCount, columns[index]!.length)
  }
  const rows: string[][] = newList()
  for (let row = 0; row < rowCount; row++) {
    const cells: string[] = newList()
    for (let column = 0; column < head.length; column++) {
      const text = columns[column]![row] ?? ''
      cells[column] = text
      widths[column] = MathMax(widths[column]!, width(text))
    }
    rows[row] = cells
  }
  const divider: string[] = newList()
  for (let index = 0; index < widths.length; index++) divider[index] = StringPrototypeRepeat('─', widths[index]! + 2)
  let result = `┌${joinList(divider, '┬')}┐\n${renderRow(head, widths)}\n├${joinList(divider, '┼')}┤\n`
  for (let row = 0; row < rows.length; row++) result += `${renderRow(rows[row]!, widths)}\n`
  return result + `└${joinList(divider, '┴')}┘`
}

function listOf<T>(...values: T[]): T[] {
  ObjectSetPrototypeOf(values, null)
  return values
}

/** The table for `console.table(data, properties)`, or undefined when `data` is not tabular. */
export function renderTable(data: unknown, properties: unknown): string | undefined {
  if (data === null || typeof data !== 'object') return undefined
  const propertyFilter = ArrayIsArray(properties) ? properties : undefined

  if (hasBrand(MapPrototypeGetSize, data)) {
    const indexColumn: string[] = newList()
    const keyColumn: string[] = newList()
    const valueColumn: string[] = newList()
    const iterator = MapPrototypeEntries(data as Map<unknown, unknown>)
    for (let index = 0; ; index++) {
      const step = MapIteratorPrototypeNext(iterator)
      if (step.done) break
      const entry = step.value as [unknown, unknown]
      push(indexColumn, cell(index))
      push(keyColumn, cell(entry[0]))
      push(valueColumn, cell(entry[1]))
    }
    return drawTable(listOf(ITERATION_KEY, KEY_KEY, VALUES_KEY), listOf(indexColumn, keyColumn, valueColumn))
  }
  if (hasBrand(SetPrototypeGetSize, data)) {
    const indexColumn: string[] = newList()
    const valueColumn: string[] = newList()
    const iterator = SetPrototypeValues(data as Set<unknown>)
    for (let index = 0; ; index++) {
      const step = SetIteratorPrototypeNext(iterator)
      if (step.done) break
      push(indexColumn, cell(index))
      push(valueColumn, cell(step.value))
    }
    return drawTable(listOf(ITERATION_KEY, VALUES_KEY), listOf(indexColumn, valueColumn))
  }

  const columnNames: string[] = newList()
  const columns: (string | undefined)[][] = newList()
  const columnIndex = new MapCtor<string, number>()
  const columnFor = (name: string): (string | undefined)[] => {
    let position = MapPrototypeGet(columnIndex, name) as number | undefined
    if (position === undefined) {
      position = columnNames.length
      MapPrototypeSet(columnIndex, name, position)
      push(columnNames, name)
      push(columns, newList<string | undefined>())
    }
    return columns[position]!
  }
  const rowKeys = ObjectKeys(data)
  const valuesColumn: (string | undefined)[] = newList()
  let hasPrimitives = false
  for (let row = 0; row < rowKeys.length; row++) {
    const descriptor = ownDescriptor(data, rowKeys[row]!)
    const item = descriptor === undefined ? undefined : 'value' in descriptor ? descriptor.value : undefined
    const isPrimitive = item === null || (typeof item !== 'function' && typeof item !== 'object')
    if (propertyFilter === undefined && isPrimitive) {
      hasPrimitives = true
      valuesColumn[row] = cell(item)
      continue
    }
    const keys = propertyFilter ?? ObjectKeys(item as object)
    for (let index = 0; index < keys.length; index++) {
      const key = StringCtor(keys[index])
      const column = columnFor(key)
      const own = isPrimitive ? undefined : ownDescriptor(item as object, key)
      if (own === undefined) column[row] = ''
      else column[row] = 'value' in own ? cell(own.value) : own.set !== undefined && own.get !== undefined ? '[Getter/Setter]' : '[Getter]'
    }
  }
  const head: string[] = newList()
  const body: (readonly (string | undefined)[])[] = newList()
  push(head, INDEX_KEY)
  const indexColumn: string[] = newList()
  for (let row = 0; row < rowKeys.length; row++) push(indexColumn, rowKeys[row]!)
  push(body, indexColumn)
  for (let index = 0; index < columnNames.length; index++) {
    push(head, columnNames[index]!)
    push(body, columns[index]!)
  }
  if (hasPrimitives) {
    push(head, VALUES_KEY)
    push(body, valuesColumn)
  }
  // Missing cells are sparse entries; fill them so every row has every column.
  for (let index = 0; index < body.length; index++) {
    const column = body[index]! as (string | undefined)[]
    for (let row = 0; row < rowKeys.length; row++) if (column[row] === undefined) column[row] = ''
  }
  return drawTable(head, body)
}

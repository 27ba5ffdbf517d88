// Page objects: find everything by role and accessible name, as a person using a screen reader would.
import type { Locator, Page } from 'playwright-core'
import { appUrl } from './browser'

const END_STATES = /^(Finished|Error|Stopped: time limit|Stopped: memory limit|Stopped: output limit|Stopped by you)$/

export class ApproveRunDialog {
  readonly root: Locator
  constructor(readonly page: Page) {
    this.root = page.getByRole('dialog', { name: 'Approve run' })
  }
  async approve(): Promise<void> {
    await this.root.getByRole('button', { name: 'Run in sandbox' }).click()
    await this.root.waitFor({ state: 'hidden' })
  }
  async cancel(): Promise<void> {
    await this.root.getByRole('button', { name: 'Cancel' }).click()
    await this.root.waitFor({ state: 'hidden' })
  }
}

export class OutputRegion {
  readonly root: Locator
  readonly items: Locator
  readonly endState: Locator
  constructor(readonly page: Page) {
    this.root = page.getByRole('region', { name: 'Output' })
    this.items = this.root.getByRole('listitem')
    this.endState = this.root.getByText(END_STATES)
  }
  async texts(): Promise<string[]> {
    return this.items.allTextContents()
  }
  /** Waits for the run's end state and returns it. */
  async waitForEnd(timeoutMs = 20_000): Promise<string> {
    await this.endState.waitFor({ state: 'visible', timeout: timeoutMs })
    return (await this.endState.textContent()) ?? ''
  }
}

export class NetworkRequestDialog {
  readonly root: Locator
  constructor(readonly page: Page) {
    this.root = page.getByRole('dialog', { name: 'Network request' })
  }
  async answer(button: 'Allow once' | 'Allow origin' | 'Deny'): Promise<void> {
    await this.root.getByRole('button', { name: button, exact: true }).click()
  }
}

export class NetworkRegion {
  readonly root: Locator
  readonly items: Locator
  constructor(readonly page: Page) {
    this.root = page.getByRole('region', { name: 'Network' })
    this.items = this.root.getByRole('listitem')
  }
  async texts(): Promise<string[]> {
    return this.items.allTextContents()
  }
}

export class AirlockPage {
  readonly approveDialog: ApproveRunDialog
  readonly networkDialog: NetworkRequestDialog
  readonly network: NetworkRegion
  readonly output: OutputRegion
  readonly runButton: Locator
  readonly stopButton: Locator
  readonly editor: Locator

  constructor(readonly page: Page) {
    this.approveDialog = new ApproveRunDialog(page)
    this.networkDialog = new NetworkRequestDialog(page)
    this.network = new NetworkRegion(page)
    this.output = new OutputRegion(page)
    this.runButton = page.getByRole('button', { name: 'Run', exact: true })
    this.stopButton = page.getByRole('button', { name: 'Stop', exact: true })
    this.editor = page.getByRole('textbox', { name: /Code editor/ })
  }

  /** Opens the app (optionally with a link fragment) and waits until the editor is there. */
  async open(fragment = ''): Promise<void> {
    await this.page.goto(appUrl(fragment))
    await this.page.locator('.monaco-editor').waitFor({ state: 'visible' })
  }

  /** Replaces the editor's text as if pasted (no auto-closing brackets). */
  async setCode(code: string): Promise<void> {
    await this.page.locator('.monaco-editor .view-lines').click()
    await this.page.keyboard.press('ControlOrMeta+A')
    await this.page.keyboard.press('Delete')
    // Pasted, as people bring code from a chat: typed text would get Monaco's auto-closed brackets.
    await this.page.evaluate((text) => {
      const data = new DataTransfer()
      data.setData('text/plain', text)
      document.activeElement?.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }))
    }, code)
  }

  /** Opens the Policy panel and replaces the policy JSON. */
  async setPolicy(policy: unknown): Promise<void> {
    const field = this.page.getByRole('textbox', { name: 'Policy JSON' })
    if (!(await field.isVisible())) await this.page.getByText('Policy', { exact: true }).click()
    await field.fill(typeof policy === 'string' ? policy : JSON.stringify(policy, null, 2))
  }

  /** Sets limits (everything else default). */
  async setLimits(limits: { timeMs?: number; memoryMB?: number; outputLines?: number }): Promise<void> {
    await this.setPolicy({ version: 1, limits })
  }

  /** Clicks Run and approves the dialog, then waits for the end state. */
  async runApproved(): Promise<string> {
    await this.startApproved()
    return this.output.waitForEnd()
  }

  /** Clicks Run and approves the dialog without waiting for the end. */
  async startApproved(): Promise<void> {
    await this.runButton.click()
    await this.approveDialog.approve()
  }
}

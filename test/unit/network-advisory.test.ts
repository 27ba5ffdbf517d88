// The broker's advisory path (GuestNetwork.decide) for engines whose guest sends its own requests:
// the same policy, count and questions as fetch, records marked advisory, and nothing sent.
import { describe, expect, it, vi } from 'vitest'
import { describeRecord, NetworkBroker, type AskPerson, type NetworkRecord } from '../../src/core/broker'
import type { GuestFetchOptions } from '../../src/core/common/network'
import { parsePolicy } from '../../src/core/policy'

function brokerFor(network: Record<string, unknown>, ask?: AskPerson) {
  const parsed = parsePolicy({ version: 1, network })
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error))
  const records = new Map<number, NetworkRecord>()
  const fetch = vi.fn(() => Promise.reject(new Error('decide must never send')))
  const broker = new NetworkBroker({ policy: parsed.value, fetch, ...(ask ? { ask } : {}), onRecord: (record) => records.set(record.id, record) })
  return { broker, records, fetch }
}

function options(): GuestFetchOptions & { readonly waits: boolean[] } {
  const waits: boolean[] = []
  return { signal: new AbortController().signal, onWaitingForPerson: (isWaiting) => waits.push(isWaiting), waits }
}

describe('NetworkBroker.decide (advisory)', () => {
  it('allows what the policy allows, records it as advisory, and sends nothing', async () => {
    const { broker, records, fetch } = brokerFor({ allow: ['https://api.example.com'] })
    expect(await broker.decide({ method: 'get', url: 'https://api.example.com/x' }, options())).toEqual({ isAllowed: true, recordId: 1 })
    expect(records.get(1)).toMatchObject({ verdict: 'allowed', phase: 'sending', isAdvisory: true, url: 'https://api.example.com/x' })
    broker.reportAdvisoryResult(1, { status: 200 })
    broker.reportAdvisoryResult(1, { status: 500 })
    expect(records.get(1)).toMatchObject({ phase: 'done', status: 200 })
    expect(describeRecord(records.get(1)!)).toContain('(advisory: not enforced)')
    expect(fetch).not.toHaveBeenCalled()
  })

  it('blocks private addresses and unlisted origins under "deny" without asking', async () => {
    const ask = vi.fn<AskPerson>()
    const { broker, records } = brokerFor({ unlisted: 'deny' }, ask)
    const local = await broker.decide({ method: 'GET', url: 'http://127.0.0.1:8080/' }, options())
    const unlisted = await broker.decide({ method: 'GET', url: 'https://elsewhere.example/' }, options())
    expect(local).toMatchObject({ isAllowed: false, recordId: 1, message: expect.stringContaining('blocked by policy') })
    expect(unlisted).toMatchObject({ isAllowed: false, recordId: 2 })
    expect(ask).not.toHaveBeenCalled()
    expect([...records.values()].map((record) => record.verdict)).toEqual(['blocked', 'blocked'])
  })

  it('asks the person for unlisted origins, pausing the clock meanwhile, and keeps "Allow origin" for the run', async () => {
    const ask = vi.fn<AskPerson>(async () => 'allow-origin')
    const { broker } = brokerFor({}, ask)
    const first = options()
    expect(await broker.decide({ method: 'POST', url: 'https://api.example.com/a' }, first)).toMatchObject({ isAllowed: true })
    expect(first.waits).toEqual([true, false])
    expect(await broker.decide({ method: 'GET', url: 'https://api.example.com/b' }, options())).toMatchObject({ isAllowed: true })
    expect(ask).toHaveBeenCalledTimes(1)
  })

  it('a person who says Deny gets the guest a plain message; a report for a denied record changes nothing', async () => {
    const { broker, records } = brokerFor({}, async () => 'deny')
    expect(await broker.decide({ method: 'GET', url: 'https://api.example.com/a' }, options())).toEqual({
      isAllowed: false,
      recordId: 1,
      message: 'denied: you did not allow GET https://api.example.com/a',
    })
    broker.reportAdvisoryResult(1, { status: 200 })
    expect(records.get(1)).toMatchObject({ verdict: 'denied', phase: 'failed' })
    expect(records.get(1)!.status).toBeUndefined()
  })

  it('counts advisory requests against maxRequests', async () => {
    const { broker } = brokerFor({ allow: ['https://api.example.com'], maxRequests: 1 })
    expect((await broker.decide({ method: 'GET', url: 'https://api.example.com/1' }, options())).isAllowed).toBe(true)
    expect(await broker.decide({ method: 'GET', url: 'https://api.example.com/2' }, options())).toMatchObject({
      isAllowed: false,
      message: expect.stringContaining('maxRequests'),
    })
  })
})

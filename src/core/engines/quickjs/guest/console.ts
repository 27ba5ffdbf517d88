// Placeholder: replaced by the full console (util.format / util.inspect compatible).
import type { GuestHostFunctions, GuestOptions } from './guest-api'

const StringCtor = String

export function createConsole(host: GuestHostFunctions, _options: GuestOptions) {
  const join = (args: IArguments) => {
    let text = ''
    for (let index = 0; index < args.length; index++) text += (index ? ' ' : '') + StringCtor(args[index])
    return text
  }
  return {
    log() {
      // eslint-disable-next-line prefer-rest-params
      host.print('log', join(arguments))
    },
  }
}

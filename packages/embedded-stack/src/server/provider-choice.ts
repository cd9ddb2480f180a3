import { InvalidValueError } from "./errors.js";

/**
 * The provider a registration goes to, as upstream's routing tables pick it: the one named, which must
 * exist, or the only one there is.
 */
export function chooseProvider(requested: string | null | undefined, available: readonly string[]): string {
  if (!requested) {
    if (available.length !== 1) {
      throw new InvalidValueError("No provider specified and multiple providers available. Please specify a provider_id.");
    }
    return available[0] as string;
  }
  if (!available.includes(requested)) throw new InvalidValueError(`Provider \`${requested}\` not found`);
  return requested;
}

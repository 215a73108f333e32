import type { ZxcvbnFactory } from '@zxcvbn-ts/core';

/** Longer input is cut here: matching grows quadratically, and 128 characters are plenty. */
export const MAX_ANALYSED = 128;

/** What zxcvbn says when a passphrase is made of the context words (the username, the server). */
export const CONTEXT_HINT = 'Avoid your username and the name of the server.';

let estimator: Promise<ZxcvbnFactory> | undefined;

/**
 * zxcvbn with the common and English dictionaries, loaded on first use: they are about 1 MB of
 * word lists, which the web client fetches only once someone types a new passphrase.
 */
export function loadZxcvbn(): Promise<ZxcvbnFactory> {
  estimator ??= create();
  return estimator;
}

async function create(): Promise<ZxcvbnFactory> {
  const [{ ZxcvbnFactory }, common, en] = await Promise.all([
    import('@zxcvbn-ts/core'),
    import('@zxcvbn-ts/language-common'),
    import('@zxcvbn-ts/language-en'),
  ]);
  const translations = {
    ...en.translations,
    warnings: {
      ...en.translations.warnings,
      userInputs: CONTEXT_HINT,
    },
  };
  return new ZxcvbnFactory({
    translations,
    graphs: common.adjacencyGraphs,
    dictionary: { ...common.dictionary, ...en.dictionary },
    maxLength: MAX_ANALYSED,
  });
}

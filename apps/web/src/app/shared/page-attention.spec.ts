import { TestBed } from '@angular/core/testing';

import { PageAttention } from './page-attention';

describe('PageAttention', () => {
  let focused: jest.SpyInstance<boolean, []>;
  let visibility: jest.SpyInstance<DocumentVisibilityState, []>;

  beforeEach(() => {
    focused = jest.spyOn(document, 'hasFocus').mockReturnValue(true);
    visibility = jest.spyOn(document, 'visibilityState', 'get').mockReturnValue('visible');
  });

  afterEach(() => jest.restoreAllMocks());

  it('is attentive only while the page is visible and its window focused', () => {
    const attention = TestBed.inject(PageAttention);
    expect(attention.attentive()).toBe(true);

    focused.mockReturnValue(false);
    window.dispatchEvent(new Event('blur'));
    expect(attention.attentive()).toBe(false);

    focused.mockReturnValue(true);
    window.dispatchEvent(new Event('focus'));
    expect(attention.attentive()).toBe(true);

    visibility.mockReturnValue('hidden');
    document.dispatchEvent(new Event('visibilitychange'));
    expect(attention.attentive()).toBe(false);
  });
});

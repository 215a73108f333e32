import { HIGHLIGHT_START as S, HIGHLIGHT_STOP as E, highlightRanges } from './highlights';

describe('highlightRanges', () => {
  it('reads the marked matches as UTF-16 ranges of the content', () => {
    expect(highlightRanges('the meetup 🎉 meetup', `the ${S}meetup${E} 🎉 ${S}meetup${E}`)).toEqual([
      [4, 10],
      [14, 20],
    ]);
  });

  it('gives none without a headline, and none when the copy is not the content', () => {
    expect(highlightRanges('plain', null)).toEqual([]);
    expect(highlightRanges('a <b>tag</b>', `a ${S}tag${E}`)).toEqual([]);
  });
});

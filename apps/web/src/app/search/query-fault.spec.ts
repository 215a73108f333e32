import { queryFault } from './query-fault';

describe('queryFault', () => {
  it('marks the part at the position, up to the next space', () => {
    expect(queryFault('meetup from:nobody soon', 'no such member', 7)).toEqual({
      message: 'no such member',
      before: 'meetup ',
      at: 'from:nobody',
      after: ' soon',
    });
  });

  it('marks nothing at the end of the query (the caret shows there)', () => {
    expect(queryFault('-word', 'search for a word', 5)).toMatchObject({ before: '-word', at: '', after: '' });
  });
});

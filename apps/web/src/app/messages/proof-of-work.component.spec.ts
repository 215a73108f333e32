import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';

import { harness } from '../testing/fixtures';
import { ProofOfWorkProgress } from './proof-of-work.component';

describe('the proof-of-work progress', () => {
  it('says how far the proof is, as text and as a progressbar, and goes away once it is done', async () => {
    const { connection, session } = await harness();
    TestBed.configureTestingModule({ providers: [provideZonelessChangeDetection()] });
    const fixture = TestBed.createComponent(ProofOfWorkProgress);
    fixture.componentRef.setInput('server', connection);
    await fixture.whenStable();
    const root = fixture.nativeElement as HTMLElement;
    expect(root.querySelector('[data-test=pow-progress]')).toBeNull();

    session.proofOfWork.set({ effort: 400_000, percent: 42 });
    await fixture.whenStable();
    // Before the server's info came, the server is named by its address.
    expect(root.querySelector('[role=status]')?.textContent).toBe(`Proving work for ${connection.url}… 42 %`);
    const bar = root.querySelector('[role=progressbar]');
    expect(bar?.getAttribute('aria-valuenow')).toBe('42');
    expect(bar?.getAttribute('aria-label')).toBe(`Proof of work for ${connection.url}`);

    session.proofOfWork.set(null);
    await fixture.whenStable();
    expect(root.querySelector('[data-test=pow-progress]')).toBeNull();
  });
});

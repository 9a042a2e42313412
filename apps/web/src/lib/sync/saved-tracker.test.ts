import { describe, expect, it } from 'vitest';
import { SavedTracker } from './saved-tracker';

describe('saved-state tracker', () => {
  it('says Saved only once every sent frame is confirmed', () => {
    const t = new SavedTracker();
    t.connectionOpened();
    expect(t.state).toBe('saved');
    t.frameSent(); // step 2
    t.frameSent(); // an update
    expect(t.state).toBe('saving');
    t.confirmed(1);
    expect(t.state).toBe('saving');
    t.confirmed(2);
    expect(t.state).toBe('saved');
  });

  it('ignores confirmations for frames never sent', () => {
    const t = new SavedTracker();
    t.connectionOpened();
    t.frameSent();
    t.confirmed(5);
    expect(t.state).toBe('saving');
  });

  it('keeps offline edits unsaved until the frame that carries them after reconnecting is confirmed', () => {
    const t = new SavedTracker();
    t.connectionOpened();
    t.frameSent();
    t.confirmed(1);
    t.connectionClosed();
    expect(t.state).toBe('saved');
    t.localEdit();
    expect(t.state).toBe('unsaved');
    t.connectionOpened();
    expect(t.state).toBe('saving'); // connected, but nothing handed over yet
    t.frameSent(); // sync step 2 with the offline edits (seq 1 on the new connection)
    t.confirmed(1);
    expect(t.state).toBe('saved');
  });

  it('treats frames unconfirmed when the socket dropped as unsaved', () => {
    const t = new SavedTracker();
    t.connectionOpened();
    t.frameSent();
    t.frameSent();
    t.confirmed(1);
    t.connectionClosed();
    expect(t.state).toBe('unsaved');
    t.connectionOpened();
    t.confirmed(1); // a stale confirmation from nowhere: nothing sent yet on this connection
    expect(t.state).toBe('saving');
    t.frameSent();
    t.confirmed(1);
    expect(t.state).toBe('saved');
  });

  it('local edits while connected do not by themselves change the state', () => {
    const t = new SavedTracker();
    t.connectionOpened();
    t.localEdit();
    expect(t.state).toBe('saved');
  });
});

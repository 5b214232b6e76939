import { SecretBox } from './secret-box';

describe('SecretBox', () => {
  const box = new SecretBox('a'.repeat(32));

  it('opens what it sealed, and never stores the plaintext', () => {
    const sealed = box.seal('jira-token-123');
    expect(sealed).not.toContain('jira-token-123');
    expect(box.open(sealed)).toBe('jira-token-123');
    expect(box.seal('x')).not.toBe(box.seal('x'));
  });

  it('refuses a box sealed under another key or altered', () => {
    const sealed = box.seal('secret');
    expect(() => new SecretBox('b'.repeat(32)).open(sealed)).toThrow();
    expect(() => box.open(`${sealed.slice(0, -2)}AA`)).toThrow();
    expect(() => box.open('garbage')).toThrow('not a sealed secret');
  });

  it('refuses a short encryption secret', () => {
    expect(() => new SecretBox('short')).toThrow('at least 32 characters');
  });
});

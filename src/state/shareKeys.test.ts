import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { embedLink, embedSnippet, hasShareLink, readFlags, withoutEmbed } from './shareKeys';

const fragmentOf = (link: string): string => link.replace(/^[^#]*/, '');

describe('the embed snippet', () => {
  it('adds the embed flag once, after the fragment, whatever the link', () => {
    expect(embedLink('https://x.org/lab/#s=z:abc')).toBe('https://x.org/lab/#s=z:abc&embed');
    expect(embedLink('https://x.org/lab/#lesson=quorums&step=4')).toBe(
      'https://x.org/lab/#lesson=quorums&step=4&embed',
    );
    expect(embedLink('https://x.org/lab/')).toBe('https://x.org/lab/#embed');
    expect(embedLink('https://x.org/lab/#s=z:abc&embed')).toBe('https://x.org/lab/#s=z:abc&embed');
    fc.assert(
      fc.property(fc.webUrl({ withFragments: true }), (url) => {
        const e = embedLink(url);
        expect(readFlags(fragmentOf(e)).embed).toBe(true);
        expect(embedLink(e)).toBe(e);
      }),
    );
  });

  it('is one iframe whose attributes hold any title as text', () => {
    fc.assert(
      fc.property(fc.string(), (title) => {
        const html = embedSnippet('https://x.org/#s=z:a&b', title);
        const m =
          /^<iframe src="([^"]*)" title="([^"]*)" width="100%" height="\d+" style="border:0" loading="lazy"><\/iframe>$/.exec(
            html,
          );
        expect(m, html).not.toBeNull();
        const unescape = (s: string): string =>
          s
            .replace(/&quot;/g, '"')
            .replace(/&lt;/g, '<')
            .replace(/&gt;/g, '>')
            .replace(/&amp;/g, '&');
        expect(unescape(m![1]!)).toBe('https://x.org/#s=z:a&b&embed');
        expect(unescape(m![2]!)).toBe(`StateLab: ${title}`);
      }),
    );
    expect(embedSnippet('https://x.org/#s=1', '"><script>alert(1)</script>')).not.toContain('<script>');
  });
});

describe('the embed flag and the share link in the fragment', () => {
  it('finds a share link wherever the page flags put it, and "Open in StateLab" drops only the flag', () => {
    expect(hasShareLink('#s=z:abc&embed')).toBe(true);
    expect(hasShareLink('#embed&s=z:abc')).toBe(true);
    expect(hasShareLink('#lesson=quorums&embed')).toBe(false);
    expect(withoutEmbed('https://x.org/lab/#embed&s=z:abc')).toBe('https://x.org/lab/#s=z:abc');
    expect(withoutEmbed('https://x.org/lab/#s=z:abc&embed')).toBe('https://x.org/lab/#s=z:abc');
    expect(withoutEmbed('https://x.org/lab/#lesson=quorums&step=2&embed')).toBe(
      'https://x.org/lab/#lesson=quorums&step=2',
    );
    expect(withoutEmbed('https://x.org/lab/#embed')).toBe('https://x.org/lab/');
  });
});

import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { recordTrace } from '../../sim/trace/trace';
import { defaultScenario, faultsScenario } from '../../sim/scenario/builtins';
import type { Scenario } from '../../sim/scenario/schema';
import { SpaceTimeDiagram } from './SpaceTimeDiagram';

describe('SpaceTimeDiagram (server-rendered markup)', () => {
  const trace = recordTrace(faultsScenario(), 300);

  it('renders one button per event in the window, with a single tab stop, full and compact', () => {
    for (const compact of [false, true]) {
      const html = renderToStaticMarkup(
        <SpaceTimeDiagram trace={trace} from={241} to={300} cursorTick={300} compact={compact} />,
      );
      const shown = trace.events.filter((e) => e.tick >= 241 && e.tick <= 300).length;
      expect(html.match(/role="button"/g)?.length).toBe(shown);
      expect(html.match(/tabindex="0"/g)?.length).toBe(1);
      expect(html).toContain('aria-label="store, tick 250, fault: crashed"');
      // A dropped message says where and why on its send.
      expect(html).toMatch(/send: [^"]* \(dropped at tick \d+ \((receiver down|cut|lost)\)\)"/);
      expect(html.includes('Happened before it')).toBe(false);
      // The compact box drops the legend and the text help.
      expect(html.includes('Legend of the space-time diagram')).toBe(!compact);
    }
  });

  it('keeps hostile values as text', () => {
    const s: Scenario = {
      ...defaultScenario(),
      actions: [
        {
          tick: 2,
          type: 'op',
          agent: 'agent1',
          op: 'set',
          args: { key: '<b>k</b>', value: '<img src=x onerror=alert(1)>' },
        },
      ],
    };
    const html = renderToStaticMarkup(<SpaceTimeDiagram trace={recordTrace(s, 20)} />);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;b&gt;k&lt;/b&gt;');
  });
});

import type { Comparison, ComparePanel } from '../../sim/compare/constants';
import { cutAt, placementOf } from '../../sim/compare/build';

/**
 * A panel's topology at a glance: one box per group, the servers placed in it (the store,
 * log or coordinator a rounded square, a projection a square, a shard a column, a replica a
 * hexagon) above its agents (circles), a dashed gap between groups while they are cut, and
 * crashed servers dashed with a cross. Everything drawn is also in the text beside it.
 */

const W = 320;
const H = 150;

function shape(role: string, x: number, y: number) {
  switch (role) {
    case 'replica': {
      const r = 11;
      const pts = Array.from({ length: 6 }, (_, i) => {
        const a = (Math.PI / 3) * i + Math.PI / 6;
        return `${(x + r * Math.cos(a)).toFixed(1)},${(y + r * Math.sin(a)).toFixed(1)}`;
      }).join(' ');
      return <polygon points={pts} />;
    }
    case 'shard':
      return <rect x={x - 7} y={y - 14} width={14} height={28} rx={2} />;
    case 'projection':
      return <rect x={x - 10} y={y - 10} width={20} height={20} rx={1} />;
    default:
      return <rect x={x - 12} y={y - 12} width={24} height={24} rx={6} />;
  }
}

function roleOf(kind: string, server: string): string {
  if (kind === 'gossip') return 'replica';
  if (kind === 'partitioned') return server === 'coordinator' ? 'coordinator' : 'shard';
  if (kind === 'event-sourcing') return server === 'log' ? 'log' : 'projection';
  return 'store';
}

const short = (id: string): string =>
  id
    .replace(/^agent/, 'a')
    .replace(/^shard/, 's')
    .replace(/^coordinator$/, 'coord')
    .replace(/^proj/, 'p');

export function PanelTopology({
  comparison,
  panel,
  tick,
  crashed,
}: {
  comparison: Comparison;
  panel: ComparePanel;
  tick: number;
  crashed: readonly string[];
}) {
  const places = placementOf(comparison, panel);
  const groups = comparison.groups;
  const gw = W / groups.length;
  const cuts = cutAt(comparison, tick);
  const down = new Set(crashed);
  const desc = `${panel.label} at tick ${Math.max(0, tick)}: ${groups
    .map(
      (g) =>
        `${g.id} holds ${
          places
            .filter((p) => p.group === g.id)
            .map((p) => p.server)
            .join(', ') || 'no server'
        } and ${g.agents.join(', ')}`,
    )
    .join(
      '; ',
    )}${cuts.length ? `; cut: ${cuts.map(([a, b]) => `${a} | ${b}`).join(', ')}` : ''}${down.size ? `; crashed: ${[...down].join(', ')}` : ''}.`;
  return (
    <svg className="cmp-topo" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={desc}>
      {groups.map((g, gi) => {
        const servers = places.filter((p) => p.group === g.id);
        const x0 = gi * gw;
        return (
          <g key={g.id}>
            <rect className="cmp-group" x={x0 + 4} y={4} width={gw - 8} height={H - 8} rx={8} />
            <text className="cmp-group-label" x={x0 + 12} y={20}>
              {g.id}
            </text>
            {servers.map((s, i) => {
              const x = x0 + ((i + 1) * gw) / (servers.length + 1);
              const y = 56;
              const isDown = down.has(s.server);
              return (
                <g key={s.server} className={`cmp-server${isDown ? ' is-crashed' : ''}`}>
                  {shape(roleOf(panel.architecture.kind, s.server), x, y)}
                  {isDown && (
                    <path
                      className="cmp-cross"
                      d={`M${x - 9},${y - 9}L${x + 9},${y + 9}M${x + 9},${y - 9}L${x - 9},${y + 9}`}
                    />
                  )}
                  <text x={x} y={y + 28} textAnchor="middle">
                    {short(s.server)}
                  </text>
                </g>
              );
            })}
            {g.agents.map((a, i) => {
              const x = x0 + ((i + 1) * gw) / (g.agents.length + 1);
              return (
                <g key={a} className="cmp-agent">
                  <circle cx={x} cy={116} r={9} />
                  <text x={x} y={140} textAnchor="middle">
                    {short(a)}
                  </text>
                </g>
              );
            })}
          </g>
        );
      })}
      {cuts.map(([a, b]) => {
        const ia = groups.findIndex((g) => g.id === a);
        const ib = groups.findIndex((g) => g.id === b);
        const x = Math.max(ia, ib) * gw;
        return (
          <g key={`${a}|${b}`} className="cmp-cut">
            <line x1={x} y1={8} x2={x} y2={H / 2 - 12} />
            <line x1={x} y1={H / 2 + 12} x2={x} y2={H - 8} />
            <text x={x} y={H / 2 + 5} textAnchor="middle">
              cut
            </text>
          </g>
        );
      })}
    </svg>
  );
}

import { Fragment, memo, useDeferredValue, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import type { AgentView, DropView, LinkView, MessageView, ServerView, WorldView } from '../state/view';
import type { LabActions } from '../state/store';
import type { NodeLayout, TopologyLayout } from '../viz/topology';
import { layoutTopology, shortLabel } from '../viz/topology';
import {
  dropOpacity,
  dropProgress,
  lerp,
  linkSegment,
  messageProgress,
  offsetSegment,
  splitWithGap,
} from '../viz/geometry';
import { agentColour } from '../viz/palette';
import { useDocumentTheme, useElementSize, useLab, useReducedMotion } from './context';
import type { ServerHealthView } from '../state/health';
import { STATUS_GLYPH } from '../state/health';

/**
 * The topology: the store as a rounded square, agents as circles, links between them, and
 * messages as dots travelling along their links. React renders every element from the view
 * and the layout (src/viz); nothing here decides what happened.
 */

function activate(e: KeyboardEvent, fn: () => void): void {
  if (e.key === 'Enter' || e.key === ' ') {
    e.preventDefault();
    e.stopPropagation();
    fn();
  }
}

export function linkState(l: LinkView): string {
  if (l.cutAB && l.cutBA) return 'cut both ways';
  if (l.cutAB) return `cut from ${l.a} to ${l.b}`;
  if (l.cutBA) return `cut from ${l.b} to ${l.a}`;
  return 'up';
}

/** A server's health as its watchers see it, in words (the badge's text and its label). */
export function healthWords(h: ServerHealthView, crashed: boolean): string {
  if (h.verdict === 'unwatched') return 'not watched';
  const slowest = h.lastCrash && crashed ? Math.max(-1, ...h.lastCrash.noticed.map((n) => n.toSuspect ?? -1)) : -1;
  const noticed = slowest >= 0 ? `, noticed after ${slowest} tick${slowest === 1 ? '' : 's'}` : '';
  if (h.verdict === 'healthy') return `healthy (${h.watchers} watching)`;
  if (h.verdict === 'down') return `down for ${h.downBy} of ${h.watchers}${noticed}`;
  return `suspected by ${h.suspectedBy + h.downBy} of ${h.watchers}${noticed}`;
}

/**
 * The health badge over a server: a glyph in a shape (✓ circle healthy, ? diamond
 * suspected, ✗ square down), so it reads without colour, and the verdict in words.
 */
function HealthBadge({
  h,
  x,
  y,
  crashed,
  small,
}: {
  h: ServerHealthView;
  x: number;
  y: number;
  crashed: boolean;
  small: boolean;
}) {
  if (h.verdict === 'unwatched') return null;
  const v = h.verdict;
  const slowest = h.lastCrash && crashed ? Math.max(-1, ...h.lastCrash.noticed.map((n) => n.toSuspect ?? -1)) : -1;
  // Short, so neighbouring servers' badges do not collide: the count of watchers that agree,
  // and how long the slowest took to notice the crash. The words are in the node's label.
  const words =
    small || v === 'healthy'
      ? ''
      : `${v === 'down' ? h.downBy : h.suspectedBy + h.downBy}/${h.watchers}${slowest >= 0 ? ` · ${slowest}t` : ''}`;
  const width = 22 + (words ? 4 + words.length * 8 : 0);
  const cx = x - width / 2 + 11;
  return (
    <g className={`health-badge health-${v}`}>
      {v === 'healthy' && <circle cx={cx} cy={y} r={9} />}
      {v === 'suspected' && <path d={`M${cx} ${y - 11}L${cx + 11} ${y}L${cx} ${y + 11}L${cx - 11} ${y}Z`} />}
      {v === 'down' && <rect x={cx - 9} y={y - 9} width={18} height={18} rx={2} />}
      <text className="health-glyph" x={cx} y={y + 5} textAnchor="middle">
        {STATUS_GLYPH[v]}
      </text>
      {words && (
        <text className="health-words" x={cx + 15} y={y + 5}>
          {words}
        </text>
      )}
    </g>
  );
}

export function agentStatus(a: AgentView): string {
  if (a.crashed) return 'crashed';
  if (a.pending) return `waiting for ${a.pending.summary}`;
  return 'idle';
}

const Link = memo(function Link(props: {
  link: LinkView;
  a: NodeLayout;
  b: NodeLayout;
  selected: boolean;
  actions: LabActions;
}) {
  const { link, a, b, selected, actions } = props;
  const cut = link.cutAB || link.cutBA;
  const onToggle = (): void => actions.setLink(link.a, link.b, !cut);
  const onSelect = (): void => actions.select({ kind: 'link', a: link.a, b: link.b });
  const seg = linkSegment(a, b);
  const [p, q] = splitWithGap(seg, 26);
  const mid = lerp(seg, 0.5);
  const label = `Link ${link.a} – ${link.b}: ${linkState(link)}. Press to ${cut ? 'heal' : 'cut'} it.`;
  return (
    <g
      className={`link${cut ? ' link-cut' : ''}${selected ? ' is-selected' : ''}`}
      role="button"
      tabIndex={0}
      aria-label={label}
      aria-pressed={cut}
      onClick={onToggle}
      onKeyDown={(e) => activate(e, onToggle)}
      onContextMenu={(e) => {
        e.preventDefault();
        onSelect();
      }}
    >
      <line className="link-hit" x1={seg.x1} y1={seg.y1} x2={seg.x2} y2={seg.y2} />
      {cut ? (
        <>
          <line className="link-line" x1={p.x1} y1={p.y1} x2={p.x2} y2={p.y2} />
          <line className="link-line" x1={q.x1} y1={q.y1} x2={q.x2} y2={q.y2} />
          <g className="link-cut-mark" transform={`translate(${mid.x} ${mid.y})`}>
            <line x1={-5} y1={-5} x2={5} y2={5} />
            <line x1={-5} y1={5} x2={5} y2={-5} />
          </g>
        </>
      ) : (
        <line className="link-line" x1={seg.x1} y1={seg.y1} x2={seg.x2} y2={seg.y2} />
      )}
      <line className="focus-ring" x1={seg.x1} y1={seg.y1} x2={seg.x2} y2={seg.y2} />
    </g>
  );
});

/** `text` cut to `max` characters with an ellipsis (the whole of it is in the node's name). */
function fitText(text: string, max: number): string {
  return text.length <= max ? text : max < 4 ? '' : `${text.slice(0, max - 1).trimEnd()}…`;
}

/** A server's note in lines of at most `max` characters: one, or two split at its first " · ". */
function noteLinesOf(detail: string, max: number): string[] {
  if (!detail) return [];
  if (detail.length <= max) return [detail];
  const at = detail.indexOf(' · ');
  if (at < 0) return [fitText(detail, max)];
  return [fitText(detail.slice(0, at), max), fitText(detail.slice(at + 3), max)].filter(Boolean);
}

/**
 * How many characters of a server's note fit before it runs into its neighbour's: the
 * closest two servers side by side (a ring or a row of replicas) leave their distance apart.
 */
function noteRoom(layout: TopologyLayout, ids: string[]): number {
  let gap = Infinity;
  const at = ids.map((id) => layout.nodes.get(id)).filter((n): n is NodeLayout => n !== undefined);
  for (let i = 0; i < at.length; i++)
    for (let j = i + 1; j < at.length; j++)
      if (Math.abs(at[i]!.y - at[j]!.y) < 30) gap = Math.min(gap, Math.abs(at[i]!.x - at[j]!.x));
  // About 7 px a character at the note's 13-14 px, and a little air between neighbours.
  return gap === Infinity ? 60 : Math.floor((gap - 10) / 7);
}

function Cross({ x, y, r }: { x: number; y: number; r: number }) {
  const k = r * 0.75;
  return (
    <g className="crash-cross">
      <line x1={x - k} y1={y - k} x2={x + k} y2={y + k} />
      <line x1={x - k} y1={y + k} x2={x + k} y2={y - k} />
    </g>
  );
}

const ServerNode = memo(function ServerNode(props: {
  server: ServerView;
  at: NodeLayout;
  selected: boolean;
  actions: LabActions;
  noteChars: number;
}) {
  const { server, at, selected, actions, noteChars } = props;
  const onSelect = (): void => actions.select({ kind: 'server', id: server.id });
  const r = at.r;
  const name = server.role === server.id ? server.id : `${server.id} (${server.role})`;
  const health = server.health ? `, health: ${healthWords(server.health, server.crashed)}` : '';
  const small = r < 26;
  const shown = small ? shortLabel(server.id) : server.id;
  const sub = !small && server.version !== null ? `v${server.version}` : '';
  // A note too wide for its neighbours breaks at its " · " into two lines ("5 behind", "link cut").
  const noteLines = server.crashed ? ['crashed'] : small ? [] : noteLinesOf(server.detail, noteChars);
  const note = noteLines.join(' ');
  // The name begins with what the node shows, so a voice-control user can say it.
  const visible = [shown, sub, note].filter(Boolean).join(' ');
  const label = `${visible}. ${name}: ${server.crashed ? 'crashed' : 'up'}${server.version === null ? '' : `, version ${server.version}`}${server.detail ? `, ${server.detail}` : ''}${health}. Select to inspect.`;
  // Wide enough for its name ("coordinator"): a box is half its width either side.
  const hx = small ? r : Math.max(r, Math.ceil(server.id.length * 4.4) + 8);
  return (
    <g
      className={`node server${server.crashed ? ' crashed' : ''}${selected ? ' is-selected' : ''}`}
      role="button"
      tabIndex={0}
      aria-label={label}
      aria-pressed={selected}
      onClick={onSelect}
      onKeyDown={(e) => activate(e, onSelect)}
    >
      {selected && (
        <rect
          className="select-ring"
          x={at.x - hx - 7}
          y={at.y - r - 7}
          width={2 * hx + 14}
          height={2 * r + 14}
          rx={12}
        />
      )}
      <rect className="shape" x={at.x - hx} y={at.y - r} width={2 * hx} height={2 * r} rx={9} />
      {server.crashed && <Cross x={at.x} y={at.y} r={r} />}
      {/*
       * One text, its lines as tspans with a space between them: the node's text content reads
       * "store v1 0 waiting" (separate <text>s ran together as "storev10 waiting"), and its
       * name begins with exactly that.
       */}
      <text textAnchor="middle">
        <tspan className="node-label" x={at.x} y={small || server.version === null ? at.y + 5 : at.y - 3}>
          {shown}
        </tspan>
        {sub && (
          <>
            {' '}
            <tspan className="node-sub" x={at.x} y={at.y + 15}>
              {sub}
            </tspan>
          </>
        )}
        {/* Small boxes sit close together: their details would overlap (Inspect has them). */}
        {noteLines.map((line, i) => (
          <Fragment key={i}>
            {' '}
            <tspan className="node-note" x={at.x} y={at.y + r + 20 + 16 * i}>
              {line}
            </tspan>
          </Fragment>
        ))}
      </text>
      <rect className="focus-ring" x={at.x - hx - 4} y={at.y - r - 4} width={2 * hx + 8} height={2 * r + 8} rx={11} />
    </g>
  );
});

/**
 * An agent's node takes only what it draws (id, crashed, place, selection), so it renders
 * again only when one of those changes, not on every operation the agent completes; its
 * counts and outcomes are in the Inspect panel and the diagram's text version.
 */
const AgentNode = memo(function AgentNode(props: {
  id: string;
  crashed: boolean;
  at: NodeLayout;
  crowded: boolean;
  labelAbove: boolean;
  selected: boolean;
  actions: LabActions;
}) {
  const { id, crashed, at, crowded, selected, actions } = props;
  const agent = { id, crashed };
  const onSelect = (): void => actions.select({ kind: 'agent', id });
  const shown = crowded ? shortLabel(id) : id;
  // Begins with what it shows (a crowded ring shows "12" for agent12).
  const label = `${shown === id ? id : `${shown}: ${id}`}${crashed ? ', crashed' : ''}. Select to inspect its operations.`;
  return (
    <g
      className={`node agent${agent.crashed ? ' crashed' : ''}${selected ? ' is-selected' : ''}`}
      role="button"
      tabIndex={0}
      aria-label={label}
      aria-pressed={selected}
      onClick={onSelect}
      onKeyDown={(e) => activate(e, onSelect)}
    >
      {selected && <circle className="select-ring" cx={at.x} cy={at.y} r={at.r + 8} />}
      <circle
        className="shape"
        cx={at.x}
        cy={at.y}
        r={at.r}
        style={{ fill: agent.crashed ? undefined : agentColour(agent.id) }}
      />
      {agent.crashed && <Cross x={at.x} y={at.y} r={at.r} />}
      {/* Labels sit on the outer side of the ring, away from the links to the store. */}
      <text
        className="node-label"
        x={at.x}
        y={props.labelAbove ? at.y - at.r - 7 : at.y + at.r + 16}
        textAnchor="middle"
      >
        {shown}
      </text>
      <circle className="focus-ring" cx={at.x} cy={at.y} r={at.r + 4} />
    </g>
  );
});

/** The colours the moving layer draws with: the theme's, read from the page's CSS. */
interface Ink {
  ink: string;
  ink2: string;
  panel: string;
  danger: string;
}

function readInk(el: Element): Ink {
  const css = getComputedStyle(el);
  const v = (name: string, fallback: string): string => css.getPropertyValue(name).trim() || fallback;
  return {
    ink: v('--ink', '#111'),
    ink2: v('--ink-2', '#555'),
    panel: v('--panel', '#fff'),
    danger: v('--danger', '#c00'),
  };
}

/**
 * The moving layer, drawn on a canvas: messages move every frame and waiting arcs grow every
 * tick, all over the diagram. As SVG, each frame re-recorded and re-rastered the whole
 * layer (on a 2-core machine the raster threads then took the main thread's core); a canvas
 * is redrawn in a fraction of a millisecond and only uploaded. It is decoration: the
 * diagram's text alternative and the nodes' labels say what is in flight and who waits.
 */
function drawOverlay(
  ctx: CanvasRenderingContext2D,
  ink: Ink,
  layout: TopologyLayout,
  agents: readonly AgentView[],
  tick: number,
  messages: readonly MessageView[],
  drops: readonly DropView[],
  frac: number,
  reduced: boolean,
): void {
  ctx.clearRect(0, 0, layout.width, layout.height);
  ctx.lineCap = 'round';
  // How long each waiting agent has waited: an arc filling towards its timeout.
  ctx.strokeStyle = ink.ink;
  ctx.lineWidth = 3;
  ctx.beginPath();
  for (const a of agents) {
    const p = a.pending;
    const at = layout.nodes.get(a.id);
    if (!p || a.crashed || !at) continue;
    const k = Math.min(0.9999, Math.max(0, (tick - p.sentAt) / Math.max(1, p.timeout)));
    const r = at.r + 4;
    ctx.moveTo(at.x, at.y - r);
    ctx.arc(at.x, at.y, r, -Math.PI / 2, -Math.PI / 2 + 2 * Math.PI * k);
  }
  ctx.stroke();
  // Requests are filled in their agent's colour; replies are rings; duplicates are dashed.
  for (const m of messages) {
    const a = layout.nodes.get(m.from);
    const b = layout.nodes.get(m.to);
    if (!a || !b) continue;
    const pt = lerp(
      offsetSegment(linkSegment(a, b), m.kind === 'reply' ? 5 : -5),
      messageProgress(m.sentAt, m.deliverAt, frac, reduced),
    );
    const colour = m.owner ? agentColour(m.owner) : ink.ink2;
    ctx.beginPath();
    ctx.arc(pt.x, pt.y, m.kind === 'heartbeat' ? 3 : m.kind === 'reply' ? 5.5 : 6, 0, 2 * Math.PI);
    if (m.kind === 'reply') {
      ctx.setLineDash([]);
      ctx.fillStyle = ink.panel;
      ctx.strokeStyle = colour;
      ctx.lineWidth = 3;
    } else {
      ctx.setLineDash(m.duplicate ? [2, 2] : []);
      ctx.fillStyle = colour;
      ctx.strokeStyle = ink.ink;
      ctx.lineWidth = 1.2;
    }
    ctx.fill();
    ctx.stroke();
  }
  ctx.setLineDash([]);
  // A dropped message: a cross where it died, fading out.
  ctx.strokeStyle = ink.danger;
  ctx.lineWidth = 3;
  for (const x of drops) {
    const a = layout.nodes.get(x.from);
    const b = layout.nodes.get(x.to);
    if (!a || !b) continue;
    const op = dropOpacity(x.at, frac, 3, reduced);
    if (op <= 0) continue;
    const pt = lerp(linkSegment(a, b), dropProgress(x.why, x.sentAt, x.at));
    ctx.globalAlpha = op;
    ctx.beginPath();
    ctx.moveTo(pt.x - 6, pt.y - 6);
    ctx.lineTo(pt.x + 6, pt.y + 6);
    ctx.moveTo(pt.x - 6, pt.y + 6);
    ctx.lineTo(pt.x + 6, pt.y - 6);
    ctx.stroke();
  }
  ctx.globalAlpha = 1;
}

export function describeTopology(view: WorldView): string[] {
  const lines: string[] = [];
  for (const s of view.servers) {
    lines.push(
      s.role === 'store'
        ? `${s.id} (the store): ${s.crashed ? 'crashed' : 'up'}, version ${s.version}, ${s.keyCount} keys, queue ${s.detail}.`
        : `${s.id} (${s.role}): ${s.crashed ? 'crashed' : 'up'}${s.detail ? `, ${s.detail}` : ''}.`,
    );
    if (s.health) lines.push(`${s.id} health, as its watchers see it: ${healthWords(s.health, s.crashed)}.`);
  }
  const agents = new Map(view.agents.map((x) => [x.id, x]));
  for (const l of view.links) {
    const a = agents.get(l.a);
    lines.push(`${l.a} — ${l.b}: link ${linkState(l)}${a ? `; ${l.a} ${agentStatus(a)}` : ''}.`);
  }
  lines.push(`${view.messages.length} message${view.messages.length === 1 ? '' : 's'} in flight.`);
  return lines;
}

/** "agent>server|…" for each agent linked to exactly one server (its home, for the layout). */
function homesOf(links: LinkView[], serverKey: string): string {
  const isServer = new Set(serverKey.split('|'));
  const count = new Map<string, string[]>();
  for (const l of links) {
    const [agent, server] =
      isServer.has(l.b) && !isServer.has(l.a)
        ? [l.a, l.b]
        : isServer.has(l.a) && !isServer.has(l.b)
          ? [l.b, l.a]
          : [null, null];
    if (agent && server) count.set(agent, [...(count.get(agent) ?? []), server]);
  }
  return [...count]
    .filter(([, s]) => s.length === 1)
    .map(([a, s]) => `${a}>${s[0]}`)
    .join('|');
}

/**
 * A string that changes only when an agent appears, goes, crashes or recovers. The
 * selector runs on every store update while playing, so it compares against the last
 * answer without building anything unless something did change.
 */
let shapesOf: { ids: string[]; crashed: boolean[]; key: string } = { ids: [], crashed: [], key: '' };
function agentShapes(agents: AgentView[]): string {
  const last = shapesOf;
  if (
    agents.length === last.ids.length &&
    agents.every((a, i) => a.id === last.ids[i] && a.crashed === last.crashed[i])
  )
    return last.key;
  let k = '';
  for (const a of agents) k += `${a.id}${a.crashed ? '!' : ''}|`;
  shapesOf = { ids: agents.map((a) => a.id), crashed: agents.map((a) => a.crashed), key: k };
  return k;
}

const LinksLayer = memo(function LinksLayer(props: {
  links: LinkView[];
  layout: TopologyLayout;
  selKey: string;
  actions: LabActions;
}) {
  const { links, layout, selKey, actions } = props;
  return (
    <g className="links">
      {links.map((l) => {
        const a = layout.nodes.get(l.a);
        const b = layout.nodes.get(l.b);
        if (!a || !b) return null;
        const selected = selKey === JSON.stringify({ kind: 'link', a: l.a, b: l.b });
        return <Link key={`${l.a}>${l.b}`} link={l} a={a} b={b} selected={selected} actions={actions} />;
      })}
    </g>
  );
});

/** Agents re-render only when the set of agents or who is crashed changes. */
const AgentsLayer = memo(function AgentsLayer(props: {
  shapes: string;
  layout: TopologyLayout;
  selKey: string;
  actions: LabActions;
}) {
  const { shapes, layout, selKey, actions } = props;
  const list = shapes
    .split('|')
    .filter(Boolean)
    .map((x) => ({ id: x.replace(/!$/, ''), crashed: x.endsWith('!') }));
  return (
    <>
      {list.map((a) => {
        const at = layout.nodes.get(a.id);
        return at ? (
          <AgentNode
            key={a.id}
            id={a.id}
            crashed={a.crashed}
            at={at}
            crowded={layout.crowded}
            labelAbove={at.y < layout.height / 2 - 1}
            selected={selKey === JSON.stringify({ kind: 'agent', id: a.id })}
            actions={actions}
          />
        ) : null;
      })}
    </>
  );
});

/** The moving layer: messages every frame, waiting arcs every tick (drawOverlay). */
function Overlay({ layout }: { layout: TopologyLayout }) {
  const agents = useLab((s) => s.view.agents);
  const tick = useLab((s) => s.view.tick);
  const messages = useLab((s) => s.view.messages);
  const drops = useLab((s) => s.view.drops);
  const frac = useLab((s) => s.frac);
  const theme = useDocumentTheme();
  const reduced = useReducedMotion();
  const ref = useRef<HTMLCanvasElement>(null);
  const ink = useRef<{ theme: string; ink: Ink } | null>(null);
  const dpr = typeof window === 'undefined' ? 1 : Math.min(2, window.devicePixelRatio || 1);
  useLayoutEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    if (ink.current?.theme !== theme) ink.current = { theme, ink: readInk(canvas) };
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    drawOverlay(ctx, ink.current!.ink, layout, agents, tick, messages, drops, frac, reduced);
  }, [layout, agents, tick, messages, drops, frac, reduced, theme, dpr]);
  return (
    <canvas
      ref={ref}
      className="diagram-overlay"
      width={Math.round(layout.width * dpr)}
      height={Math.round(layout.height * dpr)}
      style={{ width: layout.width, height: layout.height }}
      aria-hidden="true"
    />
  );
}

export function Diagram() {
  const servers = useLab((s) => s.view.servers);
  const links = useLab((s) => s.view.links);
  const shapes = useLab((s) => agentShapes(s.view.agents));
  const selection = useLab((s) => s.selection);
  const actions = useLab((s) => s.actions);
  const [ref, size] = useElementSize<HTMLDivElement>();
  const prev = useRef<TopologyLayout | undefined>(undefined);

  const serverKey = servers.map((s) => s.id).join('|');
  const agentKey = shapes
    .split('|')
    .filter(Boolean)
    .map((x) => x.replace(/!$/, ''))
    .join('|');
  // The servers' views change every tick (queues, versions), their ids and the links rarely.
  const homeKey = useMemo(() => homesOf(links, serverKey), [links, serverKey]);
  const layout = useMemo(() => {
    const homes = new Map(homeKey ? homeKey.split('|').map((x) => x.split('>') as [string, string]) : []);
    const l = layoutTopology(
      serverKey ? serverKey.split('|') : [],
      agentKey ? agentKey.split('|') : [],
      size.width,
      size.height,
      prev.current,
      homes,
    );
    prev.current = l;
    return l;
  }, [serverKey, agentKey, homeKey, size.width, size.height]);

  const down = servers
    .filter((s) => s.crashed)
    .map((s) => s.id)
    .concat(
      shapes
        .split('|')
        .filter((x) => x.endsWith('!'))
        .map((x) => x.slice(0, -1)),
    );
  const cutCount = links.filter((l) => l.cutAB || l.cutBA).length;
  const agentCount = agentKey ? agentKey.split('|').length : 0;
  const serverWord =
    servers.length === 1 && servers[0]?.role === 'store'
      ? '1 store'
      : `${servers.length} server${servers.length === 1 ? '' : 's'}`;
  const summary = `${serverWord}, ${agentCount} agents. ${cutCount === 0 ? 'Every link is up.' : `${cutCount} link${cutCount === 1 ? '' : 's'} cut.`} ${down.length === 0 ? 'Nothing is down.' : `Down: ${down.join(', ')}.`}`;
  const selKey = selection ? JSON.stringify(selection) : '';
  const noteChars = useMemo(() => noteRoom(layout, serverKey ? serverKey.split('|') : []), [layout, serverKey]);

  return (
    <div className="diagram" ref={ref}>
      {size.width > 0 && (
        <svg
          className="diagram-base"
          width={layout.width}
          height={layout.height}
          viewBox={`0 0 ${layout.width} ${layout.height}`}
          role="group"
          aria-label="Topology diagram"
          aria-describedby="topology-summary"
        >
          <LinksLayer links={links} layout={layout} selKey={selKey} actions={actions} />
          <g className="nodes">
            {servers.map((s) => {
              const at = layout.nodes.get(s.id);
              return at ? (
                <ServerNode
                  key={s.id}
                  server={s}
                  at={at}
                  selected={selKey === JSON.stringify({ kind: 'server', id: s.id })}
                  actions={actions}
                  noteChars={noteChars}
                />
              ) : null;
            })}
            <AgentsLayer shapes={shapes} layout={layout} selKey={selKey} actions={actions} />
          </g>
          {/* Above the agents, so a crowded ring never hides a server's health. */}
          <g className="health-badges" aria-hidden="true">
            {servers.map((s) => {
              const at = layout.nodes.get(s.id);
              return at && s.health ? (
                <HealthBadge
                  key={s.id}
                  h={s.health}
                  x={at.x}
                  y={at.y - at.r - 14}
                  crashed={s.crashed}
                  small={at.r < 26}
                />
              ) : null;
            })}
          </g>
        </svg>
      )}
      {size.width > 0 && <Overlay layout={layout} />}
      <p id="topology-summary" className="sr-only">
        {summary}
      </p>
    </div>
  );
}

export function DiagramText() {
  const [open, setOpen] = useState(false);
  return (
    <details className="diagram-text" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Diagram as text</summary>
      {/* Written only while open: 50 agents' lines on every frame cost the player frames. */}
      {open && <DiagramTextList />}
    </details>
  );
}

function DiagramTextList() {
  const view = useDeferredValue(useLab((s) => s.panelView));
  return (
    // Focusable: with many agents the list scrolls, and a keyboard must reach it.
    <ul tabIndex={0} aria-label="The diagram, as text">
      {describeTopology(view).map((line, i) => (
        <li key={i}>{line}</li>
      ))}
    </ul>
  );
}

export function DiagramLegend() {
  const roles = useLab((s) => [...new Set(s.view.servers.map((x) => x.role))].join(', ') || 'server');
  return (
    <ul className="legend" aria-label="Legend">
      <li>
        <svg width="18" height="18" aria-hidden="true">
          <rect x="2" y="2" width="14" height="14" rx="3" className="legend-store" />
        </svg>
        {roles}
      </li>
      <li>
        <svg width="18" height="18" aria-hidden="true">
          <circle cx="9" cy="9" r="7" className="legend-agent" />
        </svg>
        agent
      </li>
      <li>
        <svg width="18" height="18" aria-hidden="true">
          <circle cx="9" cy="9" r="5" className="legend-req" />
        </svg>
        request
      </li>
      <li>
        <svg width="18" height="18" aria-hidden="true">
          <circle cx="9" cy="9" r="5" className="legend-rep" />
        </svg>
        reply
      </li>
      <li>
        <svg width="30" height="18" aria-hidden="true">
          <line x1="1" y1="9" x2="11" y2="9" className="legend-cut" />
          <line x1="19" y1="9" x2="29" y2="9" className="legend-cut" />
        </svg>
        cut link (click a link to cut or heal it)
      </li>
      <li>
        <svg width="18" height="18" aria-hidden="true">
          <circle cx="9" cy="9" r="7" className="legend-crashed" />
          <line x1="4" y1="4" x2="14" y2="14" className="legend-x" />
          <line x1="4" y1="14" x2="14" y2="4" className="legend-x" />
        </svg>
        crashed
      </li>
    </ul>
  );
}

/**
 * The scheduler's relation rules: who joins whom, who departs, who sees a relation broken,
 * and who is in a relation's scope as each relation hook starts. Pure, like scheduler.ts,
 * which is the only module that calls these; each changes the record in place.
 */
import { otherEnd, podAddress, unitsOf, type HookEvent, type ModelRecord, type RelationRecord, type UnitRecord } from './model-state.js';

/** Whether `relation` is a peer relation (one application, one endpoint). */
export function isPeer(relation: RelationRecord): boolean {
  return relation.ends[0].role === 'peers';
}

/** A peer relation of `app` on `peer`: one endpoint, both ends of the record. */
export function peerRelation(model: ModelRecord, app: string, peer: { name: string; interface: string }): RelationRecord {
  const end = { app, endpoint: peer.name, role: 'peers' as const };
  const relation: RelationRecord = { id: model.nextRelationId++, interface: peer.interface, ends: [end, end], data: {}, joined: {}, members: [] };
  model.relations.push(relation);
  return relation;
}

/**
 * `unit` enters the scope of `relation`, as Juju 2.9's uniter makes it do once installed
 * (worker/uniter/relation/statetracker.go SynchronizeScopes, called by the created-relations
 * resolver). Entering writes the unit's address settings (apiserver/facades/agent/uniter
 * EnterScope: `private-address` and `ingress-address` the pod address, `egress-subnets`
 * that address as a /32); then the unit sees every remote unit already in scope join, and
 * each of them sees it join. A unit not installed yet, or already in scope, is left alone.
 */
export function enterScope(model: ModelRecord, relation: RelationRecord, unit: UnitRecord): void {
  const members = membersOf(model, relation);
  if (unit.installed === false || members.includes(unit.name) || relation.dying) return;
  members.push(unit.name);
  const address = podAddress(model, unit.name);
  relation.data[unit.name] = { ...relation.data[unit.name], 'egress-subnets': `${address}/32`, 'ingress-address': address, 'private-address': address };
  const remoteApp = otherEnd(relation, unit.name.split('/')[0]!).app;
  for (const member of members) {
    const remote = unitsOf(model, remoteApp).find((u) => u.name === member && u.name !== unit.name);
    if (!remote) continue;
    joinUnit(relation, unit, remote.name);
    joinUnit(relation, remote, unit.name);
  }
}

/**
 * The units in `relation`'s scope. In a record written before the model kept them (no
 * `members`), the units of both applications that were there then (no `installed`
 * either) had all joined: those count as in scope.
 */
function membersOf(model: ModelRecord, relation: RelationRecord): string[] {
  const legacy = () => [...new Set(relation.ends.flatMap((end) => unitsOf(model, end.app).filter((u) => u.installed === undefined).map((u) => u.name)))];
  return (relation.members ??= legacy());
}

/** `unit` sees `remote` join: relation-joined, then relation-changed; once per pair. */
export function joinUnit(relation: RelationRecord, unit: UnitRecord, remote: string): void {
  const end = relation.ends.find((e) => e.app === unit.name.split('/')[0])!;
  const seen = (relation.joined[unit.name] ??= []);
  if (seen.includes(remote)) return;
  seen.push(remote);
  const base = { relationId: relation.id, remoteUnit: remote, remoteApp: remote.split('/')[0] };
  unit.queue.push({ hook: `${end.endpoint}-relation-joined`, ...base }, { hook: `${end.endpoint}-relation-changed`, ...base });
}

/**
 * A unit leaves: in each of its application's relations it sees every remote unit it
 * joined depart (itself the departing unit) and then the relation broken; the units on
 * the other side see it depart; then stop and remove.
 */
export function teardown(model: ModelRecord, unit: UnitRecord): void {
  const app = unit.name.split('/')[0]!;
  for (const relation of model.relations.filter((r) => r.ends.some((e) => e.app === app))) {
    const end = relation.ends.find((e) => e.app === app)!;
    relation.members = membersOf(model, relation).filter((u) => u !== unit.name);
    // The unit going away is the departing unit on both sides, in its own hooks too.
    for (const remote of relation.joined[unit.name] ?? []) {
      unit.queue.push({ hook: `${end.endpoint}-relation-departed`, relationId: relation.id, remoteUnit: remote, remoteApp: remote.split('/')[0], departingUnit: unit.name });
    }
    // Juju 2.9 never runs -relation-broken for a peer relation (worker/uniter/relation/resolver.go).
    if (!isPeer(relation)) unit.queue.push({ hook: `${end.endpoint}-relation-broken`, relationId: relation.id, remoteApp: otherEnd(relation, app).app });
    // The other side sees this unit depart.
    const remoteEnd = otherEnd(relation, app);
    for (const other of unitsOf(model, remoteEnd.app)) {
      // A unit being removed too (the same application going) has run its own departures.
      if (other.queue.some((e) => e.hook === 'remove')) continue;
      const seen = relation.joined[other.name] ?? [];
      if (!seen.includes(unit.name)) continue;
      relation.joined[other.name] = seen.filter((u) => u !== unit.name);
      other.queue.push({ hook: `${remoteEnd.endpoint}-relation-departed`, relationId: relation.id, remoteUnit: unit.name, remoteApp: app, departingUnit: unit.name });
    }
  }
  unit.queue.push({ hook: 'stop' }, { hook: 'remove' });
}

/**
 * The whole of `app` goes: each of its relations is dying, and the units on the other
 * side see it broken (its own units were torn down already).
 */
export function applicationGone(model: ModelRecord, app: string): void {
  for (const relation of model.relations.filter((r) => r.ends.some((e) => e.app === app))) {
    relation.dying = true;
    const remote = otherEnd(relation, app);
    // A peer relation has only this application's units.
    if (remote.app === app) continue;
    for (const other of unitsOf(model, remote.app)) other.queue.push({ hook: `${remote.endpoint}-relation-broken`, relationId: relation.id, remoteApp: app });
  }
}

/** Who is in a relation's scope for `unit` as its relation hook `event` starts (Juju's order). */
export function updateScope(model: ModelRecord, unit: UnitRecord, event: HookEvent): void {
  const relation = event.relationId === undefined ? undefined : model.relations.find((r) => r.id === event.relationId);
  if (!relation) return;
  const scope = ((relation.inScope ??= {})[unit.name] ??= []);
  if (event.hook.endsWith('-relation-joined') && event.remoteUnit && !scope.includes(event.remoteUnit)) scope.push(event.remoteUnit);
  if (event.hook.endsWith('-relation-departed')) relation.inScope[unit.name] = scope.filter((u) => u !== event.departingUnit);
  if (event.hook.endsWith('-relation-broken')) relation.inScope[unit.name] = [];
}

#!/usr/bin/env bash
# A plan written by the Poisson planner (algorithm onecheck.plan.v2+onecheck.random.v1), kept so that every later
# build is tested to re-derive and verify it (PlanAlgorithmTests, "a committed v2 plan still verifies").
# inputs/ is the small city of Tests/PlanningTests/PlanFixture.swift (60 entities, three departments); plan-2026Q1/
# was written by `onecheck plan` of a build before issue 19 (main at 4ecbf6b, algorithm onecheck.plan.v2+onecheck.random.v1), with:
#   bash make_fixture.sh /path/to/old/onecheck
# Do not regenerate it with a newer build: it would then no longer be an old-version plan.
set -euo pipefail
cd "$(dirname "$0")"
bin=${1:?usage: make_fixture.sh ONECHECK_BINARY_OF_AN_OLD_BUILD}
python3 - <<'PY'
departments = ["market", "fire", "health"]
def probability(i, d): return 0.02 + ((i * 37 + d * 11) % 97) / 100
def grade(p): return "A" if p < 0.3 else "B" if p < 0.6 else "C" if p < 0.85 else "D"
def save(name, lines): open("inputs/" + name, "w").write("\n".join(lines) + "\n")
entities, scores = ["entity_id,scenario"], ["entity_id," + ",".join(f"risk_{d}_probability,risk_{d}_grade" for d in departments)]
for i in range(60):
    eid = f"E{1000 + i}"
    entities.append(f"{eid},{'salon' if i % 3 == 0 else 'restaurant'}")
    fields = [eid]
    for d in range(3):
        p = probability(i, d)
        fields += [repr(p), grade(p)]
    scores.append(",".join(fields))
save("entities.csv", entities)
save("scores.csv", scores)
save("quotas.csv", ["department,grade,ratio,count,certain", "market,A,0.100,,0", "market,B,0.200,,0",
                    "market,C,0.400,,0", "market,D,,,1", "fire,A,0.100,,0", "fire,B,,3,0", "fire,C,0.400,,0",
                    "fire,D,0.500,,0", "health,A,0.100,,0", "health,B,0.200,,0", "health,C,0.400,,0", "health,D,,,1"])
save("caps.csv", ["scope,max_checks_per_year", "all,6", "market,4", "fire,4", "health,4"])
save("scenarios.csv", ["scenario,lead,partners", "restaurant,market,fire", "salon,health,market"])
save("items.csv", ["item,department,scenario", "market.restaurant.01,market,restaurant", "market.restaurant.02,market,restaurant",
                   "market.salon.01,market,salon", "fire.restaurant.01,fire,restaurant", "fire.restaurant.02,fire,restaurant",
                   "health.salon.01,health,salon"])
rows = ["inspector_id,department,district,qualified_items,cap_per_period,cap_per_day,conflicts,last_checked"]
for d in departments:
    for n in range(8):
        items = f"{d}.restaurant.01;{d}.restaurant.02;{d}.salon.01"
        rows.append(f"{d}-{n},{d},310101,{items},40,2,{'E1003;E1004' if n == 0 else ''},{'E1005' if n == 1 else ''}")
save("inspectors.csv", rows)
PY
rm -rf plan-2026Q1
"$bin" plan --scores inputs/scores.csv --entities inputs/entities.csv --quotas inputs/quotas.csv \
  --inspectors inputs/inspectors.csv --scenarios inputs/scenarios.csv --items inputs/items.csv --caps inputs/caps.csv \
  --period 2026Q1 --seed "2026-01-02 lottery 07 19 23" --reserve 5 --output plan-2026Q1

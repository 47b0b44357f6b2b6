"""Writes the small messy files of Tests/Fixtures/real-files (fixed seeds: running it again gives the same bytes)."""
import math
import random


def shops(n, seed):
    r = random.Random(seed)
    rows = []
    for i in range(n):
        c = r.randrange(6); d = r.randrange(3)
        eta = -1.5 + 0.5 * c + [0, 0.8, -0.4][d]
        y = r.random() < 1 / (1 + math.exp(-eta))
        rows.append((f"S{i}", c, ["north", "south", "east"][d], y))
    return rows


# An id column named id.
with open("shops-with-id.csv", "w") as f:
    f.write("id,complaints,district,violation\n")
    for (i, c, d, y) in shops(300, 1): f.write(f"{i},{c},{d},{'yes' if y else 'no'}\n")
# Missing values spelt NA, NaN, NULL, N/A, empty, and '.' (a custom spelling).
with open("loans-missing.csv", "w") as f:
    r = random.Random(2)
    f.write("id,income,debt,purpose,default\n")
    spell = ["NA", "NaN", "NULL", "N/A", ""]
    for i in range(400):
        inc = r.gauss(50, 15); debt = r.gauss(20, 8)
        eta = -1 - 0.05 * (inc - 50) + 0.08 * (debt - 20)
        y = r.random() < 1 / (1 + math.exp(-eta))
        incs = spell[i % 5] if i % 9 == 0 else f"{inc:.1f}"
        debts = "." if i % 13 == 0 else f"{debt:.1f}"
        p = ["car", "home", "other"][r.randrange(3)]
        if i % 17 == 0: p = "NA"
        f.write(f"L{i},{incs},{debts},{p},{1 if y else 0}\n")
# Thousands separators and padding (comma file, quoted), the same numbers in a semicolon file, decimal commas.
rows = []
r = random.Random(3)
for i in range(300):
    amt = r.randrange(1000, 900000); age = r.randrange(18, 80)
    eta = -1 + 1.2e-6 * (amt - 450000) * 2 - 0.02 * (age - 45)
    y = r.random() < 1 / (1 + math.exp(-eta))
    rows.append((i, amt, age, y))
with open("amounts-thousands.csv", "w") as f:
    f.write("id,amount,age,bad\n")
    for (i, a, g, y) in rows:
        f.write(f'{i},"{a:,}", {g} ,{"bad" if y else "good"}\n')
with open("amounts-semicolon.csv", "w") as f:
    f.write("id;amount;age;bad\n")
    for (i, a, g, y) in rows:
        f.write(f'{i};{a:,};{g};{"bad" if y else "good"}\n')
with open("amounts-decimal-comma.csv", "w") as f:
    f.write("id;rate;age;bad\n")
    for (i, a, g, y) in rows:
        f.write(f'{i};{a / 100000:.2f}'.replace(".", ",") + f';{g};{"bad" if y else "good"}\n')
# Tab-separated with a TRUE/FALSE target; targets written 1.0/0.0 and Yes/No.
with open("shops-tab.tsv", "w") as f:
    f.write("id\tcomplaints\tdistrict\tviolation\n")
    for (i, c, d, y) in shops(300, 4): f.write(f"{i}\t{c}\t{d}\t{'TRUE' if y else 'FALSE'}\n")
with open("shops-float-target.csv", "w") as f:
    f.write("id,complaints,district,violation\n")
    for (i, c, d, y) in shops(300, 5): f.write(f"{i},{c},{d},{'1.0' if y else '0.0'}\n")
with open("shops-yes-no.csv", "w") as f:
    f.write("id,complaints,district,violation\n")
    for (i, c, d, y) in shops(300, 6): f.write(f"{i},{c},{d},{'Yes' if y else 'No'}\n")
# A raw date column; inspections with US dates (M/D/YYYY) for backtest --date-format.
with open("shops-dates.csv", "w") as f:
    r = random.Random(7)
    f.write("id,opened,complaints,violation\n")
    for i in range(300):
        y0 = 2000 + r.randrange(20); m = 1 + r.randrange(12); d = 1 + r.randrange(28)
        c = r.randrange(6)
        eta = -1.5 + 0.5 * c
        yv = r.random() < 1 / (1 + math.exp(-eta))
        f.write(f"S{i},{y0:04d}-{m:02d}-{d:02d},{c},{'yes' if yv else 'no'}\n")
with open("visits-us-dates.csv", "w") as f:
    f.write("visit,day,hazard,test,found\n")
    for i in range(60):
        h = i % 6
        y = (1 if i % 5 else 0) if h >= 3 else (1 if i % 7 == 0 else 0)
        f.write(f"T{i},1/{1 + i % 28}/2014,{h},0,{y}\n")
    test = [("3/1/2014", 0, 0), ("3/1/2014", 1, 0), ("3/2/2014", 1, 0), ("3/2/2014", 0, 0), ("3/3/2014", 0, 0),
            ("3/3/2014", 1, 0), ("3/4/2014", 5, 1), ("3/4/2014", 5, 1)]
    for k, (d, h, y) in enumerate(test): f.write(f"E{k},{d},{h},1,{y}\n")
# Empty cells for a logistic fit's imputation; a rare level that sorts first (the old reference level).
with open("shops-gaps.csv", "w") as f:
    r = random.Random(9)
    f.write("id,complaints,area,district,violation\n")
    for i in range(400):
        c = r.randrange(6); a = r.gauss(100, 30); d = r.randrange(10)
        dist = "aaa-rare" if d == 0 and i % 4 == 0 else ["north", "south", "east"][d % 3]
        eta = -1.5 + 0.5 * c + 0.01 * (a - 100)
        y = r.random() < 1 / (1 + math.exp(-eta))
        cs = "" if i % 11 == 0 else str(c)
        as_ = "" if i % 7 == 0 else f"{a:.2f}"
        f.write(f"S{i},{cs},{as_},{dist},{'yes' if y else 'no'}\n")

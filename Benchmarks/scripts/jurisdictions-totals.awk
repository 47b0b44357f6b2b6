# stages.tsv → per stage: Σ entities, median and Σ of wall and CPU seconds, entities per wall second and per CPU
# second (over the sums), the largest peak resident memory.
BEGIN { FS = "\t"; split("generate score plan verify", order, " ") }
NR > 1 {
  s = $2; k = ++count[s]; wall[s, k] = $3; cpu[s, k] = $4; W[s] += $3; C[s] += $4; N[s] += $6
  if ($5 > peak[s]) peak[s] = $5
  if (s == "generate") { jurisdictions++; entities += $6 }
}
function median(s, field,   n, i, j, t, v) {
  n = count[s]
  for (i = 1; i <= n; i++) v[i] = (field == "wall") ? wall[s, i] : cpu[s, i]
  for (i = 2; i <= n; i++) { t = v[i]; for (j = i - 1; j >= 1 && v[j] > t; j--) v[j + 1] = v[j]; v[j + 1] = t }
  return (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
}
END {
  printf "%d jurisdictions, %d entities\n", jurisdictions, entities
  printf "| stage | processes | median wall s | median CPU s | entities/s (wall) | entities/CPU-s | peak RSS MiB |\n"
  printf "|---|---|---|---|---|---|---|\n"
  for (k = 1; k <= 4; k++) { s = order[k]
    printf "| %s | %d | %.1f | %.1f | %.0f | %.0f | %.0f |\n", s, count[s], median(s, "wall"), median(s, "cpu"),
      N[s] / W[s], N[s] / C[s], peak[s] / 1024 }
}

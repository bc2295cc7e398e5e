package dev.aigis.core.guard.injection;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/** Cross-validation fold assignments: each row's fold number, 0..k-1. */
final class Folds {

  private Folds() {}

  /**
   * Whole groups per fold (no source is seen both in training and in evaluation), greedily
   * balanced: groups by size, largest first, each into the currently smallest fold. Deterministic,
   * so it needs no seed.
   */
  static int[] grouped(List<String> groups, int k) {
    Map<String, List<Integer>> members = new TreeMap<>();
    for (int i = 0; i < groups.size(); i++) {
      members.computeIfAbsent(groups.get(i), g -> new ArrayList<>()).add(i);
    }
    if (members.size() < k) {
      throw new IllegalArgumentException("grouped " + k + "-fold needs at least " + k + " sources, the data has " + members.size());
    }
    List<Map.Entry<String, List<Integer>>> bySize = new ArrayList<>(members.entrySet());
    bySize.sort(Comparator.<Map.Entry<String, List<Integer>>>comparingInt(e -> -e.getValue().size())
        .thenComparing(Map.Entry::getKey));
    int[] sizes = new int[k];
    int[] fold = new int[groups.size()];
    for (var group : bySize) {
      int smallest = 0;
      for (int f = 1; f < k; f++) {
        if (sizes[f] < sizes[smallest]) {
          smallest = f;
        }
      }
      for (int i : group.getValue()) {
        fold[i] = smallest;
      }
      sizes[smallest] += group.getValue().size();
    }
    return fold;
  }

  /** Random folds stratified by label: each label's rows shuffled with the seed and dealt round robin. */
  static int[] stratified(int[] labels, int k, long seed) {
    int[] fold = new int[labels.length];
    Random random = new Random(seed);
    for (int label = 0; label <= 1; label++) {
      List<Integer> rows = new ArrayList<>();
      for (int i = 0; i < labels.length; i++) {
        if (labels[i] == label) {
          rows.add(i);
        }
      }
      java.util.Collections.shuffle(rows, random);
      for (int j = 0; j < rows.size(); j++) {
        fold[rows.get(j)] = j % k;
      }
    }
    return fold;
  }
}

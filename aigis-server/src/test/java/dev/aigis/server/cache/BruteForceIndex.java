package dev.aigis.server.cache;

import dev.aigis.core.cache.VectorIndex;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A scan over every vector: the {@link VectorIndex} contract, simply, for store tests. */
class BruteForceIndex implements VectorIndex {

  private record Item(String partition, float[] vector) {}

  private final Map<String, Item> items = new ConcurrentHashMap<>();

  @Override
  public void add(String id, String partition, float[] unitVector) {
    items.put(id, new Item(partition, unitVector.clone()));
  }

  @Override
  public void remove(String id) {
    items.remove(id);
  }

  @Override
  public List<Neighbour> search(String partition, float[] unitVector, int k) {
    List<Neighbour> all = new ArrayList<>();
    items.forEach((id, item) -> {
      if (item.partition().equals(partition)) {
        double dot = 0;
        for (int i = 0; i < unitVector.length; i++) {
          dot += unitVector[i] * item.vector()[i];
        }
        all.add(new Neighbour(id, dot));
      }
    });
    all.sort(Comparator.comparingDouble(Neighbour::similarity).reversed());
    return all.subList(0, Math.min(k, all.size()));
  }

  @Override
  public int size() {
    return items.size();
  }

  @Override
  public void close() {}
}

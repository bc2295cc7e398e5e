package dev.aigis.core.processing.cel;

import java.util.function.BooleanSupplier;

/**
 * The work one stage of a CEL processor may do, shared by the stage's expressions. cel-java bounds
 * comprehension iterations but not what each iteration touches: {@code request.body.contains(x)}
 * inside a 10,000-step {@code map} scans a large body 10,000 times, and {@code request.body +
 * request.body} doubles it. So every evaluated node is charged (see {@link BudgetedProgram}) in
 * units of roughly one character or element read or produced, and an evaluation stops with
 * {@link Exceeded} when the sum passes the limit, or as soon as the stage has been abandoned (its
 * timeout fired and the chain cancelled it). Not thread-safe: one evaluation at a time.
 */
final class EvaluationBudget {

  /** Thrown from inside an evaluation to stop it; reported as the expression's runtime error. */
  static final class Exceeded extends RuntimeException {
    Exceeded(String message) {
      super(message, null, false, false);
    }
  }

  private static final BooleanSupplier NEVER = () -> false;

  private final long limit;
  private final BooleanSupplier abandoned;
  private long spent;

  EvaluationBudget(long limit, BooleanSupplier abandoned) {
    this.limit = limit;
    this.abandoned = abandoned == null ? NEVER : abandoned;
  }

  static EvaluationBudget of(long limit) {
    return new EvaluationBudget(limit, NEVER);
  }

  void charge(long units) {
    spent += units;
    if (spent > limit) {
      throw new Exceeded("cost limit exceeded (" + limit + " units)");
    }
    if (abandoned.getAsBoolean()) {
      throw new Exceeded("abandoned after the processor's timeout");
    }
  }

  long spent() {
    return spent;
  }
}

package dev.aigis.core.processing.cel;

import com.google.protobuf.ByteString;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.ast.CelExpr.ExprKind.Kind;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.navigation.CelNavigableExpr;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelEvaluationListener;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelVariableResolver;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

/**
 * A compiled expression that charges an {@link EvaluationBudget} as it runs. cel-java reports each
 * evaluated node, after its operands, to an evaluation listener; the listener remembers the size of
 * every node's last value and charges a function call the sizes of its operands plus its result
 * (what a string function scans and builds), a list, map or comprehension its size, and any other
 * node one unit. Short-circuit operators and indexing cost one unit: they do not scan their operands.
 *
 * @param hasComprehension whether the expression loops ({@code map}, {@code all}, ...): such
 *     programs are evaluated on the worker pool rather than on an event loop
 */
record BudgetedProgram(CelRuntime.Program program, int[][] callOperands, int nodeIds, boolean hasComprehension) {

  /** Calls that do not scan their operands. */
  private static final Set<String> CONSTANT_COST = Set.of("_&&_", "_||_", "_?_:_", "!_", "_[_]",
      "@not_strictly_false", "not_strictly_false");

  static BudgetedProgram of(CelRuntime.Program program, CelAbstractSyntaxTree ast) {
    CelNavigableExpr root = CelNavigableAst.fromAst(ast).getRoot();
    int nodeIds = Math.toIntExact(root.maxId()) + 1;
    int[][] operands = new int[nodeIds][];
    boolean[] loops = new boolean[1];
    root.allNodes().forEach(node -> {
      CelExpr expr = node.expr();
      if (expr.getKind() == Kind.COMPREHENSION) {
        loops[0] = true;
      } else if (expr.getKind() == Kind.CALL && !CONSTANT_COST.contains(expr.call().function())) {
        var call = expr.call();
        int[] ids = new int[call.args().size() + (call.target().isPresent() ? 1 : 0)];
        int i = 0;
        if (call.target().isPresent()) {
          ids[i++] = (int) call.target().get().id();
        }
        for (CelExpr arg : call.args()) {
          ids[i++] = (int) arg.id();
        }
        operands[(int) expr.id()] = ids;
      }
    });
    return new BudgetedProgram(program, operands, nodeIds, loops[0]);
  }

  Object eval(CelVariableResolver variables, EvaluationBudget budget) throws CelEvaluationException {
    return program.trace(variables, new Meter(budget));
  }

  /** Sizes are remembered per node id; a node evaluated again (in a loop) overwrites its entry. */
  private final class Meter implements CelEvaluationListener {
    private final EvaluationBudget budget;
    private final long[] sizes = new long[nodeIds];

    Meter(EvaluationBudget budget) {
      this.budget = budget;
    }

    @Override
    public void callback(CelExpr expr, Object value) {
      int id = (int) expr.id();
      long size = sizeOf(value);
      long cost = 1;
      if (id >= 0 && id < sizes.length) {
        sizes[id] = size;
        int[] operands = callOperands[id];
        if (operands != null) {
          for (int operand : operands) {
            cost += operand < sizes.length ? sizes[operand] : 0;
          }
          cost += size;
        } else if (expr.getKind() != Kind.IDENT && expr.getKind() != Kind.SELECT && expr.getKind() != Kind.CALL) {
          cost += size;
        }
      }
      budget.charge(cost);
    }
  }

  private static long sizeOf(Object value) {
    return switch (value) {
      case String s -> s.length();
      case Collection<?> c -> c.size();
      case Map<?, ?> m -> m.size();
      case ByteString b -> b.size();
      case byte[] b -> b.length;
      case null, default -> 0;
    };
  }
}

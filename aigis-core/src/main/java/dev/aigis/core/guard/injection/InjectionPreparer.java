package dev.aigis.core.guard.injection;

/** The normaliser and signature rules the shipped model was trained with. */
public final class InjectionPreparer {

  private InjectionPreparer() {}

  /** Until the shared text normaliser and signature set land: compatibility folding only. */
  public static PreparedText.Preparer standard() {
    return PreparedText.Preparer.foldOnly();
  }
}

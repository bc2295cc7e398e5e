package dev.aigis.core.identity;

/**
 * Glob matching for model names: {@code *} matches any run of characters (including none); every
 * other character matches itself. Written out rather than compiled to a regex so that names full
 * of regex metacharacters ({@code gpt-4o.mini}, {@code a+b}) mean only themselves, and so the cost
 * stays O(glob × name) whatever the input.
 */
final class ModelGlob {

  private ModelGlob() {}

  static boolean matches(String glob, String text) {
    int g = 0;
    int t = 0;
    int star = -1; // position of the last '*' seen in the glob
    int resume = 0; // text position that '*' will swallow up to next, on a mismatch
    while (t < text.length()) {
      if (g < glob.length() && glob.charAt(g) == '*') {
        star = g++;
        resume = t;
      } else if (g < glob.length() && glob.charAt(g) == text.charAt(t)) {
        g++;
        t++;
      } else if (star >= 0) {
        g = star + 1;
        t = ++resume;
      } else {
        return false;
      }
    }
    while (g < glob.length() && glob.charAt(g) == '*') {
      g++;
    }
    return g == glob.length();
  }
}

package dev.aigis.core.guard.text;

/**
 * Look-alike letters of other scripts folded to the Latin letter they imitate, after NFKC (which
 * already maps fullwidth and mathematical alphanumerics). A compact table of the common
 * confusables (Unicode's confusables.txt entries for Cyrillic, Greek, Armenian, Cherokee and
 * Latin-extended letters that render like ASCII letters), not the whole file: the aim is that
 * {@code "іgnоrе"} meets the same rules as {@code "ignore"}.
 *
 * <p>Folding is applied per word, and only to words an attacker could have built to pass as
 * Latin: a word that mixes Latin with other letters, or one made only of look-alikes. A genuine
 * Russian or Greek word almost always holds letters without a Latin twin and is left alone.
 */
final class Homoglyphs {

  private static final int LIMIT = 0x1E00;
  private static final char[] FOLD = new char[LIMIT];

  static {
    // pairs: look-alike, Latin
    String pairs =
        // Cyrillic lower case
        "аaвbсcԁdеeһhіiјjкkӏlмmոnоoрpԛqѕsѵvԝwхxуy"
            // Cyrillic upper case
            + "АAВBСCЕEНHІIЈJКKМMОOРPЅSТTХXҮYԌGԚQԜW"
            // Greek
            + "αaβbεeηnιiκkνvοoρpτtυuχxγyΑAΒBΕEΖZΗHΙIΚKΜMΝNΟOΡPΤTΥYΧX"
            // Armenian
            + "աwհhոnօoսuցgզqՍUՕO"
            // Cherokee capitals that read as Latin capitals
            + "ᎪAᏴBᏟCᎠDᎬEᎻHᏆIᎫJᏦKᏞLᎷMᏢPᎡRᏚSᎢTᏙVᏔWᎩYᏃZ"
            // Latin extended and IPA
            + "ıiɑaɡgɩiɪiʟlɴnʀrʏyȷjƅbɌRɓbɗdɦhɯmɵoƿpʂsʋvẋxȥz";
    for (int i = 0; i + 1 < pairs.length(); i += 2) {
      char from = pairs.charAt(i);
      if (from < LIMIT) {
        FOLD[from] = pairs.charAt(i + 1);
      }
    }
  }

  private Homoglyphs() {}

  /** The Latin letter {@code c} imitates, or 0. */
  static char latinTwin(int c) {
    return c < LIMIT ? FOLD[c] : 0;
  }

  static boolean isLatinLetter(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  /**
   * Appends {@code word} (letters only) to {@code out}, folded when it mixes Latin with other
   * letters or consists only of look-alikes.
   */
  static void appendWord(CharSequence text, int start, int end, StringBuilder out) {
    boolean latin = false;
    boolean allTwins = true;
    boolean anyTwin = false;
    for (int i = start; i < end; i++) {
      char c = text.charAt(i);
      if (isLatinLetter(c)) {
        latin = true;
      } else if (latinTwin(c) != 0) {
        anyTwin = true;
      } else {
        allTwins = false;
      }
    }
    if (!anyTwin || !(latin || allTwins)) {
      out.append(text, start, end);
      return;
    }
    for (int i = start; i < end; i++) {
      char c = text.charAt(i);
      char twin = latinTwin(c);
      out.append(twin != 0 ? twin : c);
    }
  }
}

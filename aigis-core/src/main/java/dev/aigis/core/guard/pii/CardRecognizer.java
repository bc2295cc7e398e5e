package dev.aigis.core.guard.pii;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.validator.routines.checkdigit.LuhnCheckDigit;

/**
 * Payment card numbers: 12 to 19 digits that pass the Luhn check, written in one piece or in the
 * groups cards are printed in (4-4-4-4[-1..3], 4-6-5 and 4-6-4), separated by spaces or by
 * dashes, not both. Other groupings (3-3-4 phone numbers that happen to pass Luhn) are not cards.
 * A grouped run that continues past four groups of four (an expiry after the number) is tried as
 * its first sixteen digits; no other part of a run is tried, so a mistyped card never has a
 * Luhn-valid piece of it reported.
 */
final class CardRecognizer implements Recognizer {

  @Override
  public void find(String text, List<PiiMatch> out) {
    int n = text.length();
    int i = 0;
    while (i < n) {
      if (!Chars.isDigit(text.charAt(i))) {
        i++;
        continue;
      }
      int start = i;
      int end = runEnd(text, i);
      i = end;
      if (end - start < 12 || !Chars.standsAlone(text, start, end) || !Chars.notJoined(text, start, start)) {
        continue;
      }
      List<int[]> groups = groups(text, start, end);
      if (groups == null) {
        continue;
      }
      int cardEnd = cardEnd(text, groups);
      if (cardEnd > 0) {
        out.add(new PiiMatch(PiiEntity.CREDIT_CARD, start, cardEnd));
      }
    }
  }

  /** End of the digit groups from {@code i} joined by single spaces or dashes. */
  private static int runEnd(String text, int i) {
    int n = text.length();
    int p = i;
    while (p < n) {
      if (Chars.isDigit(text.charAt(p))) {
        p++;
      } else if ((text.charAt(p) == ' ' || text.charAt(p) == '-') && p + 1 < n && Chars.isDigit(text.charAt(p + 1))) {
        p++;
      } else {
        break;
      }
    }
    return p;
  }

  /** [start, end) of each digit group, or null when the separators are mixed. */
  private static List<int[]> groups(String text, int start, int end) {
    List<int[]> groups = new ArrayList<>();
    char separator = 0;
    int groupStart = start;
    for (int i = start; i <= end; i++) {
      if (i == end || !Chars.isDigit(text.charAt(i))) {
        groups.add(new int[] {groupStart, i});
        if (i < end) {
          if (separator != 0 && separator != text.charAt(i)) {
            return null;
          }
          separator = text.charAt(i);
        }
        groupStart = i + 1;
      }
    }
    return groups;
  }

  /** End of the card the groups hold, or -1. */
  private static int cardEnd(String text, List<int[]> groups) {
    int end = groups.getLast()[1];
    if (Chars.notJoined(text, end, end) && valid(text, groups, groups.size())) {
      return end;
    }
    if (groups.size() > 4 && valid(text, groups, 4)) {
      return groups.get(3)[1];
    }
    return -1;
  }

  private static boolean valid(String text, List<int[]> groups, int count) {
    int[] sizes = new int[count];
    int digits = 0;
    for (int i = 0; i < count; i++) {
      sizes[i] = groups.get(i)[1] - groups.get(i)[0];
      digits += sizes[i];
    }
    if (digits < 12 || digits > 19 || !shapeOk(sizes)) {
      return false;
    }
    String number = Chars.digitsOf(text.substring(groups.getFirst()[0], groups.get(count - 1)[1]));
    return !Chars.allSame(number) && LuhnCheckDigit.LUHN_CHECK_DIGIT.isValid(number);
  }

  private static boolean shapeOk(int[] sizes) {
    if (sizes.length == 1) {
      return true;
    }
    if (sizes[0] != 4) {
      return false;
    }
    if (sizes.length == 3 && sizes[1] == 6 && (sizes[2] == 4 || sizes[2] == 5)) {
      return true;
    }
    if (sizes.length < 3) {
      return false;
    }
    for (int i = 1; i < sizes.length - 1; i++) {
      if (sizes[i] != 4) {
        return false;
      }
    }
    return sizes[sizes.length - 1] >= 1 && sizes[sizes.length - 1] <= 4;
  }
}

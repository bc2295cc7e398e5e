package dev.aigis.core.guard.output;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.util.Locale;

/**
 * Cheap lexical features of a window of an answer, each scaled to [0, 1]. They carry what an
 * embedding of one window blurs: whether the model refused (refusals dominate safe answers, in
 * many languages), whether it complied ("Sure, here are the steps"), whether the text is a list of
 * steps or code, and whether a persona label ("[DAN]:", "(Developer Mode Output)") starts a second
 * answer after a refusal, the usual shape of a jailbroken reply. Thread-safe.
 */
final class Cues {

  /** Feature names, in vector order (saved in the model's metadata). */
  static final String[] NAMES = {
      "refusals", "refusal_at_start", "refusal_before", "compliance", "steps", "code", "personas",
      "disclaimers", "length", "non_ascii"};

  static final int COUNT = NAMES.length;

  private static final Pattern REFUSAL = Pattern.compile(String.join("|",
      "\\bi'?m (so |very |really )?(sorry|afraid)\\b",
      "\\bi am (so |very |really )?(sorry|afraid)\\b",
      "\\bi apologi[sz]e\\b",
      "\\bi (really )?(can'?t|cannot|can not|won'?t|will not|am unable to|'m unable to|am not able to|'m not able to|"
          + "must (decline|refuse)|do not|don'?t|refuse to)\\b.{0,40}\\b(help|assist|provide|fulfil+|comply|create|"
          + "generate|write|support|condone|encourage|engage|do that|answer|give)",
      "\\bas an ai\\b",
      "\\bas a responsible\\b",
      "\\bagainst (my|openai'?s?|the) (guidelines|policies|policy|programming|content polic\\w*|ethical)",
      "\\b(not|never) (be )?(able|allowed|permitted|appropriate) to (provide|assist|help|share)",
      "\\bi (strongly )?(advise|urge|encourage) (you )?(against|not to)\\b",
      "\\bplease (seek|consult|reach out|contact) (a |an )?(professional|help|the authorities|mental health)",
      // Other languages (refusal openers of common chat models).
      "抱歉|对不起|我不能|我无法|无法提供|不能提供|我不会",
      "\\blo siento\\b|\\bno puedo\\b",
      "\\bd[ée]sol[ée]e?\\b|\\bje ne peux pas\\b",
      "\\bes tut mir leid\\b|\\bich kann (nicht|keine|dir nicht|ihnen nicht)\\b",
      "\\bmi dispiace\\b|\\bnon posso\\b",
      "\\bdesculp[ea]\\b|\\bn[ãa]o posso\\b",
      "извините|к сожалению|я не могу",
      "申し訳|できません",
      "죄송|할 수 없"));

  private static final Pattern COMPLIANCE = Pattern.compile(String.join("|",
      "\\b(sure|certainly|absolutely|of course|okay|alright)[,!.]? ?(here|i can|i'll|let me|let's)\\b",
      "\\bhere(’|')?s (how|a|an|the|what|some)\\b",
      "\\bhere (is|are) (how|a|an|the|some|my|your|what)\\b",
      "\\b(follow these|the following) (steps|instructions|methods)\\b",
      "\\bstep (1|one)\\b",
      "\\b(first|firstly),? (you|we|i|gather|obtain|find|get|start)\\b",
      "\\byou (will|'ll|would) need\\b",
      "\\byou (can|could|should|might|may) (use|try|start|create|find|buy|get|make|obtain)\\b",
      "\\b(ingredients|materials|tools) (needed|required|you need)\\b"));

  private static final Pattern STEP_LINE = Pattern.compile("(?m)^\\s*(\\d{1,2}[.)]|[-*•]|step \\d+:?)\\s+\\S");

  private static final Pattern CODE = Pattern.compile(
      "```|\\bimport [a-z_.]+|#include\\b|\\bdef [a-z_]+\\(|\\bfunction [a-z_]+\\(|;\\s*$|=>|\\{\\s*$|</?[a-z]+>");

  /** A second voice: "[DAN]:", "(🔓Developer Mode Output)", "AIM:", "UCAR:" at a line start. */
  private static final Pattern PERSONA = Pattern.compile(
      "(?m)^\\s*(\\[[^\\]\\n]{1,40}\\]|\\([^)\\n]{1,40}\\)|[a-z][a-z0-9 _-]{0,20}:)");

  private static final Pattern DISCLAIMER = Pattern.compile(String.join("|",
      "\\billegal and (unethical|dangerous|harmful)\\b",
      "\\bunethical and illegal\\b",
      "\\bi must (remind|emphasi[sz]e|stress|clarify|point out)\\b",
      "\\b(do not|don'?t|not) (condone|endorse|encourage|promote|support)\\b",
      "\\bit(’|')?s important to\\b|\\bit is important to\\b",
      "\\b(serious|legal) consequences\\b",
      "\\bethical (guidelines|standards|considerations)\\b"));

  private static final int REFUSAL_START = 200;
  private static final int WINDOW_NORM = 512;

  private Cues() {}

  /**
   * @param window the text being judged
   * @param before up to a few hundred characters of the answer before the window ("" at the start)
   * @param into where the {@link #COUNT} features are written
   * @param offset the first index written
   */
  static void features(String window, String before, float[] into, int offset) {
    String w = lower(window);
    into[offset] = scaled(count(REFUSAL, w), 3);
    into[offset + 1] = REFUSAL.matcher(w.length() > REFUSAL_START ? w.substring(0, REFUSAL_START) : w).find() ? 1 : 0;
    into[offset + 2] = !before.isEmpty() && REFUSAL.matcher(lower(before)).find() ? 1 : 0;
    into[offset + 3] = scaled(count(COMPLIANCE, w), 3);
    into[offset + 4] = scaled(count(STEP_LINE, w), 5);
    into[offset + 5] = CODE.matcher(w).find() ? 1 : 0;
    into[offset + 6] = scaled(count(PERSONA, w), 3);
    into[offset + 7] = scaled(count(DISCLAIMER, w), 3);
    into[offset + 8] = (float) Math.min(1, Math.log1p(window.length()) / Math.log1p(WINDOW_NORM));
    into[offset + 9] = nonAscii(window);
  }

  /** Whether the text refuses anywhere: a window with a refusal is never flagged by rules alone. */
  static boolean refuses(String text) {
    return REFUSAL.matcher(lower(text)).find();
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT).replace('\u2019', '\'');
  }

  private static int count(Pattern p, String s) {
    Matcher m = p.matcher(s);
    int n = 0;
    while (n < 10 && m.find()) {
      n++;
    }
    return n;
  }

  private static float scaled(int n, int cap) {
    return Math.min(n, cap) / (float) cap;
  }

  private static float nonAscii(String s) {
    int letters = 0;
    int other = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isLetter(c)) {
        letters++;
        if (c > 127) {
          other++;
        }
      }
    }
    return letters == 0 ? 0 : (float) other / letters;
  }
}

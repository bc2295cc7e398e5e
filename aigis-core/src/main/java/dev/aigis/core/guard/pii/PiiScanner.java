package dev.aigis.core.guard.pii;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * Finds PII entities in a text. Thread-safe and stateless per call: one instance serves the
 * gateway. Blocking CPU work, linear in the text (RE2J patterns, no backtracking), so call it off
 * the event loop.
 *
 * <p>Candidates of different types may overlap (a card number inside a phone-shaped run); the
 * longest wins, and on equal length the more specific type (checksummed or prefixed before
 * shape-only: private key, JWT, API keys, IBAN, card, SSN, email, IP, phone).
 */
public final class PiiScanner {

  /** Most specific first: the tie-break between equally long candidates. */
  private static final List<PiiEntity> SPECIFICITY = List.of(
      PiiEntity.PRIVATE_KEY, PiiEntity.JWT, PiiEntity.OPENAI_KEY, PiiEntity.GITHUB_TOKEN,
      PiiEntity.AWS_ACCESS_KEY, PiiEntity.IBAN_CODE, PiiEntity.CREDIT_CARD, PiiEntity.US_SSN,
      PiiEntity.EMAIL_ADDRESS, PiiEntity.IP_ADDRESS, PiiEntity.PHONE_NUMBER);

  private static final Comparator<PiiMatch> PREFERENCE = Comparator
      .comparingInt(PiiMatch::length).reversed()
      .thenComparingInt(m -> SPECIFICITY.indexOf(m.entity()))
      .thenComparingInt(PiiMatch::start);

  private final Set<PiiEntity> entities;
  private final List<Recognizer> recognizers;

  /**
   * @param entities the types to find
   * @param phoneRegions ISO 3166 regions whose national formats count as phone numbers
   *     (international numbers written with {@code +} are found whatever the list)
   */
  public PiiScanner(Set<PiiEntity> entities, List<String> phoneRegions) {
    this.entities = entities.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(entities));
    for (String region : phoneRegions) {
      if (!PhoneNumberUtil.getInstance().getSupportedRegions().contains(region)) {
        throw new IllegalArgumentException("unknown phone region: " + region);
      }
    }
    List<Recognizer> list = new ArrayList<>();
    if (entities.contains(PiiEntity.EMAIL_ADDRESS)) {
      list.add(new EmailRecognizer());
    }
    if (entities.contains(PiiEntity.PHONE_NUMBER)) {
      list.add(new PhoneRecognizer(phoneRegions, true));
    }
    if (entities.contains(PiiEntity.CREDIT_CARD)) {
      list.add(new CardRecognizer());
    }
    if (entities.contains(PiiEntity.IBAN_CODE)) {
      list.add(new IbanRecognizer());
    }
    if (entities.contains(PiiEntity.US_SSN)) {
      list.add(new SsnRecognizer());
    }
    if (entities.contains(PiiEntity.IP_ADDRESS)) {
      list.add(new IpRecognizer());
    }
    var secrets = EnumSet.of(PiiEntity.AWS_ACCESS_KEY, PiiEntity.GITHUB_TOKEN, PiiEntity.OPENAI_KEY, PiiEntity.JWT);
    secrets.retainAll(entities);
    if (!secrets.isEmpty()) {
      list.add(new SecretRecognizer(secrets));
    }
    if (entities.contains(PiiEntity.PRIVATE_KEY)) {
      list.add(new PrivateKeyRecognizer());
    }
    this.recognizers = List.copyOf(list);
  }

  /** Every type, US phone formats; one shared instance. */
  public static PiiScanner all() {
    return AllHolder.ALL;
  }

  private static final class AllHolder {
    static final PiiScanner ALL = new PiiScanner(EnumSet.allOf(PiiEntity.class), List.of("US"));
  }

  public Set<PiiEntity> entities() {
    return entities;
  }

  /** The entities in {@code text}: sorted by start, non-overlapping. */
  public List<PiiMatch> scan(String text) {
    return scan(text, null);
  }

  /** {@link #scan(String)} with a memo of phone candidates' validity (see {@link PhoneRecognizer}). */
  List<PiiMatch> scan(String text, java.util.Map<String, Boolean> phoneMemo) {
    List<PiiMatch> candidates = new ArrayList<>();
    for (Recognizer recognizer : recognizers) {
      if (recognizer instanceof PhoneRecognizer phone) {
        phone.find(text, candidates, phoneMemo);
      } else {
        recognizer.find(text, candidates);
      }
    }
    if (candidates.size() <= 1) {
      return List.copyOf(candidates);
    }
    candidates.sort(PREFERENCE);
    TreeMap<Integer, PiiMatch> kept = new TreeMap<>();
    for (PiiMatch c : candidates) {
      var before = kept.floorEntry(c.start());
      var after = kept.ceilingEntry(c.start());
      if ((before == null || !before.getValue().overlaps(c)) && (after == null || !after.getValue().overlaps(c))) {
        kept.put(c.start(), c);
      }
    }
    return List.copyOf(kept.values());
  }
}

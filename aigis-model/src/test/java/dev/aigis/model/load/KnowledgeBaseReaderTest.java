package dev.aigis.model.load;

import static dev.aigis.model.load.ConfigFixtures.BASE;
import static dev.aigis.model.load.ConfigFixtures.ENV;
import static dev.aigis.model.load.ConfigFixtures.errors;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.model.ConfigException;
import dev.aigis.model.KnowledgeBase;
import dev.aigis.model.processing.RetrievalSpec;
import dev.aigis.model.snapshot.ConfigSnapshot;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** KnowledgeBase and the Retrieval processor: every field read, every rule reported with file, line and field. */
class KnowledgeBaseReaderTest {

  private static final String DOCS = """
      apiVersion: aigis.dev/v1alpha1
      kind: KnowledgeBase
      metadata: {name: docs}
      spec:
        sources:
        - {path: knowledge/, include: ["**/*.md"]}
        - configMapRef: {name: faq, keys: [faq.md]}
        chunking: {maxChars: 800, overlapChars: 100}
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: faq}
      data: {faq.md: "# FAQ"}
      ---
      apiVersion: aigis.dev/v1alpha1
      kind: KnowledgeBase
      metadata: {name: remote}
      spec:
        retriever:
          url: http://retriever.internal:8080/search
          timeout: 500ms
          headers: {x-tenant: a}
          secretRef: {name: retriever, key: token}
      ---
      apiVersion: v1
      kind: Secret
      metadata: {name: retriever}
      stringData: {token: t0k3n}
      ---
      apiVersion: aigis.dev/v1alpha1
      kind: PayloadProcessor
      metadata: {name: rag}
      spec:
        targetRef: {group: gateway.networking.k8s.io, kind: Gateway, name: gw}
        phase: PostRouting
        processors:
        - name: context
          type: Retrieval
          retrieval: {knowledgeBase: docs, topK: 4, minScore: 0.4, maxContextChars: 3000}
        - name: defaults
          type: Retrieval
          retrieval: {knowledgeBase: remote}
      ---
      """;

  @Test
  void readsEveryField() throws ConfigException {
    ConfigSnapshot snapshot = ConfigPipeline.compileText("kb.yaml", DOCS + BASE, ENV);

    KnowledgeBase docs = snapshot.resource(KnowledgeBase.class, "default", "docs").orElseThrow();
    assertThat(docs.sources()).containsExactly(
        new KnowledgeBase.Source("knowledge/", List.of("**/*.md"), null),
        new KnowledgeBase.Source(null, List.of(), new KnowledgeBase.ConfigMapSource("faq", List.of("faq.md"))));
    assertThat(docs.chunking()).isEqualTo(new KnowledgeBase.Chunking(800, 100));
    assertThat(docs.retriever()).isNull();

    KnowledgeBase remote = snapshot.resource(KnowledgeBase.class, "default", "remote").orElseThrow();
    assertThat(remote.retriever()).isEqualTo(new KnowledgeBase.Retriever(URI.create("http://retriever.internal:8080/search"),
        Duration.ofMillis(500), Map.of("x-tenant", "a"), new KnowledgeBase.SecretKeyRef("retriever", "token")));

    var processors = snapshot.payloadProcessors().getFirst().processors();
    assertThat(processors.get(0).config()).isEqualTo(new RetrievalSpec("docs", 4, new BigDecimal("0.4"), 3000,
        RetrievalSpec.DEFAULT_TEMPLATE));
    assertThat(processors.get(1).config()).isEqualTo(new RetrievalSpec("remote", 3, new BigDecimal("0.3"), 6000,
        RetrievalSpec.DEFAULT_TEMPLATE));
  }

  @Test
  void knowledgeBaseErrorsNameFileLineResourceAndField() {
    assertThat(errors("""
        apiVersion: aigis.dev/v1alpha1
        kind: KnowledgeBase
        metadata: {name: both}
        spec:
          sources: [{path: docs/}]
          retriever: {url: http://r/}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: KnowledgeBase
        metadata: {name: bad}
        spec:
          sources:
          - {path: docs/, configMapRef: {name: x}}
          - {configMapRef: {name: faq, keys: [missing.md]}, include: ["*.md"]}
          - configMapRef: {name: nowhere}
          chunking: {maxChars: 50}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: KnowledgeBase
        metadata: {name: remote}
        spec:
          retriever:
            url: ftp://r/
            timeout: 0s
            headers: {Authorization: Bearer x}
            secretRef: {name: absent, key: token}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: faq}
        data: {faq.md: "# FAQ"}
        ---
        """ + BASE)).containsExactly(
        "bad.yaml:4: KnowledgeBase/both: spec: set exactly one of sources or retriever",
        "bad.yaml:13: KnowledgeBase/bad: spec.sources[0]: set exactly one of path or configMapRef",
        "bad.yaml:14: KnowledgeBase/bad: spec.sources[1].include: only applies to a path source",
        "bad.yaml:16: KnowledgeBase/bad: spec.chunking.maxChars: must be 100..8000 characters, got 50",
        "bad.yaml:23: KnowledgeBase/remote: spec.retriever.url: must be an absolute http or https URL",
        "bad.yaml:24: KnowledgeBase/remote: spec.retriever.timeout: must be more than 0 and at most 60s",
        "bad.yaml:25: KnowledgeBase/remote: spec.retriever.headers: Authorization: put credentials in a Secret and name it with secretRef");
  }

  @Test
  void referencesAreCheckedWhenTheSnapshotCompiles() {
    assertThat(errors("""
        apiVersion: aigis.dev/v1alpha1
        kind: KnowledgeBase
        metadata: {name: bad}
        spec:
          sources:
          - configMapRef: {name: faq, keys: [faq.md, missing.md]}
          - configMapRef: {name: nowhere}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: KnowledgeBase
        metadata: {name: remote}
        spec:
          retriever: {url: "http://r/", secretRef: {name: absent, key: token}}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: faq}
        data: {faq.md: "# FAQ"}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: PayloadProcessor
        metadata: {name: rag}
        spec:
          targetRef: {group: gateway.networking.k8s.io, kind: Gateway, name: gw}
          phase: PostRouting
          processors:
          - name: context
            type: Retrieval
            retrieval: {knowledgeBase: unknown, topK: 0, minScore: 2}
        ---
        """ + BASE)).containsExactly(
        "bad.yaml:6: KnowledgeBase/bad: spec.sources[0].configMapRef.keys[1]: ConfigMap default/faq has no key \"missing.md\"",
        "bad.yaml:7: KnowledgeBase/bad: spec.sources[1].configMapRef.name: ConfigMap default/nowhere not found",
        "bad.yaml:13: KnowledgeBase/remote: spec.retriever.secretRef.name: Secret default/absent not found",
        "bad.yaml:29: PayloadProcessor/rag: spec.processors[0].retrieval.topK: must be 1..20, got 0",
        "bad.yaml:29: PayloadProcessor/rag: spec.processors[0].retrieval.minScore: must be in [-1, 1], got 2",
        "bad.yaml:29: PayloadProcessor/rag: spec.processors[0].retrieval.knowledgeBase: KnowledgeBase default/unknown not found");
  }
}

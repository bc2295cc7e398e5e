package dev.aigis.core.provider.rerank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.BackendCall;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.provider.UpstreamCall;
import dev.aigis.core.provider.bedrock.BedrockRerankTranslator;
import dev.aigis.core.provider.gemini.VertexRankingTranslator;
import dev.aigis.model.backend.AwsCredentials;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Cohere-style rerank to Bedrock's Rerank API and Vertex AI's ranking API, and what is refused. */
class RerankTranslatorsTest {

  private static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2026-12-07T12:00:00Z"));
  private static final String REQUEST = """
      {"model": "m", "query": "capital of France", "top_n": 2, "return_documents": true,
       "documents": ["Berlin is in Germany", {"text": "Paris is the capital of France"}, "Madrid"]}""";

  private static ObjectNode json(String text) throws Exception {
    return (ObjectNode) Json.MAPPER.readTree(text);
  }

  private static String body(UpstreamCall call) {
    return new String(call.body(), StandardCharsets.UTF_8);
  }

  @Test
  void bedrockGetsTheRerankApiWithTheRegionsModelArnSignedForBedrock() throws Exception {
    var translator = new BedrockRerankTranslator(new AwsCredentials("AKIDEXAMPLE", "secret", null), "us-west-2",
        "bedrock-agent-runtime.us-west-2.amazonaws.com", CLOCK);

    List<UpstreamCall> calls = translator.request(json(REQUEST), new BackendCall("cohere.rerank-v3-5:0", false, ""));

    assertThat(calls).hasSize(1);
    UpstreamCall call = calls.getFirst();
    assertThat(call.method()).isEqualTo("POST");
    assertThat(call.pathAndQuery()).isEqualTo("/rerank");
    assertThat(call.headers().get("authorization"))
        .startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261207/us-west-2/bedrock/aws4_request");
    assertThat(json(body(call))).isEqualTo(json("""
        {"queries": [{"type": "TEXT", "textQuery": {"text": "capital of France"}}],
         "sources": [
           {"type": "INLINE", "inlineDocumentSource": {"type": "TEXT", "textDocument": {"text": "Berlin is in Germany"}}},
           {"type": "INLINE", "inlineDocumentSource": {"type": "TEXT", "textDocument": {"text": "Paris is the capital of France"}}},
           {"type": "INLINE", "inlineDocumentSource": {"type": "TEXT", "textDocument": {"text": "Madrid"}}}],
         "rerankingConfiguration": {"type": "BEDROCK_RERANKING_MODEL", "bedrockRerankingConfiguration": {
           "numberOfResults": 2,
           "modelConfiguration": {"modelArn": "arn:aws:bedrock:us-west-2::foundation-model/cohere.rerank-v3-5:0"}}}}"""));

    ObjectNode answer = translator.response(List.of("""
        {"results": [{"index": 1, "relevanceScore": 0.91}, {"index": 0, "relevanceScore": 0.12}]}"""
        .getBytes(StandardCharsets.UTF_8)));
    answer.remove("id");
    assertThat(answer).isEqualTo(json("""
        {"results": [
          {"index": 1, "relevance_score": 0.91, "document": {"text": "Paris is the capital of France"}},
          {"index": 0, "relevance_score": 0.12, "document": {"text": "Berlin is in Germany"}}]}"""));
    assertThat(translator.usage()).isNull();
  }

  @Test
  void anArnModelIsSentAsItIs() throws Exception {
    var translator = new BedrockRerankTranslator(new AwsCredentials("AKIDEXAMPLE", "secret", null), "us-west-2",
        "bedrock-agent-runtime.us-west-2.amazonaws.com", CLOCK);
    String arn = "arn:aws:bedrock:eu-central-1::foundation-model/amazon.rerank-v1:0";

    UpstreamCall call = translator.request(json(REQUEST), new BackendCall(arn, false, "")).getFirst();

    assertThat(json(body(call)).at("/rerankingConfiguration/bedrockRerankingConfiguration/modelConfiguration/modelArn")
        .asText()).isEqualTo(arn);
  }

  @Test
  void vertexGetsTheRankingApiOfTheProjectAndScoresBecomeResults() throws Exception {
    var translator = new VertexRankingTranslator("my-project");

    UpstreamCall call = translator.request(json(REQUEST), new BackendCall("semantic-ranker-default@latest", false, ""))
        .getFirst();

    assertThat(call.pathAndQuery())
        .isEqualTo("/v1/projects/my-project/locations/global/rankingConfigs/default_ranking_config:rank");
    assertThat(json(body(call))).isEqualTo(json("""
        {"model": "semantic-ranker-default@latest", "query": "capital of France", "topN": 2,
         "ignoreRecordDetailsInResponse": true,
         "records": [{"id": "0", "content": "Berlin is in Germany"}, {"id": "1", "content": "Paris is the capital of France"},
                     {"id": "2", "content": "Madrid"}]}"""));

    ObjectNode answer = translator.response(List.of("""
        {"records": [{"id": "1", "score": 0.98}, {"id": "2", "score": 0.3}]}""".getBytes(StandardCharsets.UTF_8)));
    answer.remove("id");
    assertThat(answer).isEqualTo(json("""
        {"results": [
          {"index": 1, "relevance_score": 0.98, "document": {"text": "Paris is the capital of France"}},
          {"index": 2, "relevance_score": 0.3, "document": {"text": "Madrid"}}]}"""));
  }

  @Test
  void anAnswerNamingADocumentThatWasNotSentIsAnUpstreamFailure() throws Exception {
    var translator = new VertexRankingTranslator("p");
    translator.request(json(REQUEST), new BackendCall("m", false, ""));

    assertThatThrownBy(() -> translator.response(List.of("{\"records\":[{\"id\":\"7\",\"score\":1}]}"
        .getBytes(StandardCharsets.UTF_8))))
        .isInstanceOfSatisfying(TranslationException.class, e -> assertThat(e.error().status()).isEqualTo(502));
  }

  @Test
  void resultsAreOrderedByScoreThenDocumentOrderAndCutAtTopN() throws Exception {
    var request = RerankRequest.of(json("{\"query\":\"q\",\"documents\":[\"a\",\"b\",\"c\"],\"top_n\":2}"));

    ObjectNode answer = RerankResults.answer(request, List.of(new RerankResults.Scored(0, 0.5),
        new RerankResults.Scored(1, 0.9), new RerankResults.Scored(2, 0.5)));

    assertThat(answer.get("results").toString())
        .isEqualTo("[{\"index\":1,\"relevance_score\":0.9},{\"index\":0,\"relevance_score\":0.5}]");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      {"documents": ["a"]}                                  | query       | 'query' must be a non-empty string
      {"query": "q"}                                        | documents   | 'documents' must be a non-empty array
      {"query": "q", "documents": []}                       | documents   | 'documents' must be a non-empty array
      {"query": "q", "documents": [{"title": "t"}]}         | documents   | 'documents[0]' must be a string or an object with a string 'text'
      {"query": "q", "documents": ["a"], "top_n": 0}        | top_n       | 'top_n' must be an integer of at least 1
      {"query": "q", "documents": ["a"], "rank_fields": ["t"]} | rank_fields | 'rank_fields' is not supported by this backend; send the text to rank
      """)
  void whatCannotBeRankedIsA400NamingTheField(String request, String param, String message) throws Exception {
    assertThatThrownBy(() -> RerankRequest.of(json(request)))
        .isInstanceOfSatisfying(TranslationException.class, e ->
            assertThat(e.error()).isEqualTo(new GatewayError.InvalidRequest(message, param)));
  }
}

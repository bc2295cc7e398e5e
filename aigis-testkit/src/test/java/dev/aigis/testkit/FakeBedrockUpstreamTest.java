package dev.aigis.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.BackendCall;
import dev.aigis.core.provider.UpstreamCall;
import dev.aigis.core.provider.bedrock.OpenAiToBedrockConverseTranslator;
import dev.aigis.model.backend.AwsCredentials;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fake's SigV4 check against AWS's published test vectors, the Bedrock translator's signed
 * requests accepted by it (no session token), and Converse shape rules refused as Bedrock does.
 */
class FakeBedrockUpstreamTest {

  static FakeBedrockUpstream upstream;

  @BeforeAll
  static void start() {
    upstream = FakeBedrockUpstream.start("AKIDTEST", "secret", null, "us-west-2");
  }

  @AfterAll
  static void stop() {
    upstream.close();
  }

  // ---- AWS Signature Version 4 test suite (get-vanilla, post-vanilla) ----

  @Test
  void verifierAcceptsAwsTestSuiteGetVanilla() {
    var verifier = new SigV4Verifier("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", null, "us-east-1", "service");
    assertThat(verifier.verify("GET", "/", "", headers("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/"
        + "service/aws4_request, SignedHeaders=host;x-amz-date, "
        + "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"), new byte[0])).isNull();
  }

  @Test
  void verifierAcceptsAwsTestSuitePostVanillaAndRefusesATamperedSignature() {
    var verifier = new SigV4Verifier("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", null, "us-east-1", "service");
    String auth = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
        + "SignedHeaders=host;x-amz-date, Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b";
    assertThat(verifier.verify("POST", "/", "", headers(auth), new byte[0])).isNull();
    assertThat(verifier.verify("POST", "/", "", headers(auth.replace("5da7", "5da8")), new byte[0]))
        .extracting(SigV4Verifier.Failure::type).isEqualTo("InvalidSignatureException");
    assertThat(verifier.verify("POST", "/", "", headers(auth), "x".getBytes(StandardCharsets.UTF_8)))
        .as("the body is signed").isNotNull();
  }

  private static Map<String, List<String>> headers(String authorization) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("host", List.of("example.amazonaws.com"));
    headers.put("x-amz-date", List.of("20150830T123600Z"));
    headers.put("authorization", List.of(authorization));
    return headers;
  }

  // ---- the translator against the fake ----

  static OpenAiToBedrockConverseTranslator translator(String secret) {
    return new OpenAiToBedrockConverseTranslator(new AwsCredentials("AKIDTEST", secret, null), "us-west-2",
        "127.0.0.1:" + upstream.port(), InstantSource.system());
  }

  static HttpResponse<byte[]> send(UpstreamCall call) throws Exception {
    var request = HttpRequest.newBuilder(URI.create(upstream.baseUrl() + call.pathAndQuery()))
        .timeout(Duration.ofSeconds(10)).method(call.method(), HttpRequest.BodyPublishers.ofByteArray(call.body()));
    call.headers().forEach(request::header);
    return Http.CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static ObjectNode pivot(String json) throws Exception {
    return (ObjectNode) Json.MAPPER.readTree(json);
  }

  @Test
  void signedConverseIsAnsweredAndRead() throws Exception {
    upstream.script(FakeBedrockUpstream.Reply.text("Hi there").withUsage(5, 2, 0));
    var translator = translator("secret");
    UpstreamCall call = translator.chatRequest(pivot("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
        new BackendCall("amazon.nova-lite-v1:0", false, ""));
    HttpResponse<byte[]> response = send(call);
    assertThat(response.statusCode()).isEqualTo(200);
    ObjectNode completion = translator.chatResponse(response.body());
    assertThat(completion.path("choices").get(0).path("message").path("content").asText()).isEqualTo("Hi there");
    assertThat(translator.usage().output()).isEqualTo(2);
    assertThat(upstream.lastModelId()).isEqualTo("amazon.nova-lite-v1:0");
  }

  @Test
  void signedConverseStreamIsDecoded() throws Exception {
    upstream.script(FakeBedrockUpstream.Reply.text("a b c"));
    var translator = translator("secret");
    HttpResponse<byte[]> response = send(translator.chatRequest(
        pivot("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), new BackendCall("m", true, "")));
    assertThat(response.headers().firstValue("content-type")).contains("application/vnd.amazon.eventstream");
    List<ObjectNode> chunks = new ArrayList<>();
    byte[] body = response.body();
    for (int i = 0; i < body.length; i += 7) { // cut every 7 bytes
      translator.streamBytes(java.util.Arrays.copyOfRange(body, i, Math.min(body.length, i + 7)), chunks::add);
    }
    translator.streamEnd(chunks::add);
    var text = new StringBuilder();
    chunks.forEach(c -> text.append(c.path("choices").path(0).path("delta").path("content").asText("")));
    assertThat(text.toString()).isEqualTo("a b c");
    assertThat(chunks.getLast().path("usage").isObject()).isTrue();
  }

  @Test
  void aWrongSecretGetsAwsSignatureMismatch() throws Exception {
    HttpResponse<byte[]> response = send(translator("wrong").chatRequest(
        pivot("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), new BackendCall("m", false, "")));
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValueSatisfying(
        v -> assertThat(v).startsWith("InvalidSignatureException"));
    assertThat(new String(response.body(), StandardCharsets.UTF_8))
        .contains("The request signature we calculated does not match the signature you provided.");
  }

  @Test
  void malformedConverseBodiesAreValidationExceptions() throws Exception {
    // Bodies the translator would never send, signed directly with the AWS SDK signer.
    for (String body : List.of(
        "{}",
        "{\"messages\":[{\"role\":\"assistant\",\"content\":[{\"text\":\"hi\"}]}]}",
        "{\"messages\":[{\"role\":\"system\",\"content\":[{\"text\":\"hi\"}]}]}",
        "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"a\"}]},{\"role\":\"assistant\",\"content\":"
            + "[{\"toolUse\":{\"toolUseId\":\"t1\",\"name\":\"f\",\"input\":{}}}]},{\"role\":\"assistant\",\"content\":"
            + "[{\"toolResult\":{\"toolUseId\":\"t1\",\"content\":[{\"text\":\"r\"}]}}]}]}",
        "{\"model\":\"x\",\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"hi\"}]}]}")) {
      UpstreamCall call = signDirectly(body);
      HttpResponse<byte[]> response = send(call);
      assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(400);
      assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValueSatisfying(
          v -> assertThat(v).startsWith("ValidationException"));
    }
  }

  private static UpstreamCall signDirectly(String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    String path = "/model/m/converse";
    var request = software.amazon.awssdk.http.SdkHttpRequest.builder()
        .method(software.amazon.awssdk.http.SdkHttpMethod.POST).protocol("http").host("127.0.0.1")
        .port(upstream.port()).encodedPath(path).putHeader("content-type", "application/json").build();
    var signed = software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.create().sign(r -> r
        .identity(software.amazon.awssdk.identity.spi.AwsCredentialsIdentity.create("AKIDTEST", "secret"))
        .request(request).payload(software.amazon.awssdk.http.ContentStreamProvider.fromByteArray(bytes))
        .putProperty(software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.SERVICE_SIGNING_NAME, "bedrock")
        .putProperty(software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.REGION_NAME, "us-west-2"));
    Map<String, String> headers = new LinkedHashMap<>();
    signed.request().headers().forEach((k, v) -> {
      if (!k.equalsIgnoreCase("host")) {
        headers.put(k, String.join(",", v));
      }
    });
    return new UpstreamCall("POST", path, headers, bytes);
  }
}

package dev.aigis.server.proxy;

import static dev.aigis.server.proxy.FrontDoorFixture.echoBackend;
import static dev.aigis.server.proxy.FrontDoorFixture.gateway;
import static dev.aigis.server.proxy.FrontDoorFixture.route;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bad client input is a 400 in the caller's format, never a 500 from inside the gateway: request
 * shapes no backend can read, and a Host header that is not a host. The echo model answers
 * in-process, so nothing else can be blamed.
 */
class ClientInputTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private FrontDoorFixture gateway;

  @BeforeEach
  void start() throws Exception {
    gateway = new FrontDoorFixture(gateway() + echoBackend()
        + route("[]", "[{group: aigis.dev, kind: AIBackend, name: echo}]"), UnaryOperator.identity());
  }

  @AfterEach
  void stop() throws Exception {
    gateway.close();
  }

  @Test
  void messagesThatAreNotAListAre400InTheOpenAiShape() throws Exception {
    HttpResponse<String> response = gateway.post("/v1/chat/completions", "{\"model\":\"aigis-echo\",\"messages\":{\"a\":1}}");

    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode error = JSON.readTree(response.body()).get("error");
    assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.get("param").asText()).isEqualTo("messages");
    assertThat(error.get("message").asText()).isEqualTo("Invalid type for 'messages': expected an array of message objects");
  }

  @Test
  void messagesThatAreNotAListAre400InTheAnthropicShape() throws Exception {
    HttpResponse<String> response = gateway.post("/v1/messages",
        "{\"model\":\"aigis-echo\",\"max_tokens\":5,\"messages\":{\"a\":1}}");

    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.get("type").asText()).isEqualTo("error");
    assertThat(body.at("/error/type").asText()).isEqualTo("invalid_request_error");
    assertThat(body.at("/error/message").asText()).contains("'messages'");
  }

  @Test
  void aMessageThatIsNotAnObjectOrHasContentOfNoKnownShapeIs400NamingIt() throws Exception {
    HttpResponse<String> notAnObject = gateway.post("/v1/chat/completions", "{\"model\":\"aigis-echo\",\"messages\":[1]}");
    HttpResponse<String> content = gateway.post("/v1/chat/completions",
        "{\"model\":\"aigis-echo\",\"messages\":[{\"role\":\"user\",\"content\":\"ok\"},{\"role\":\"user\",\"content\":{\"x\":1}}]}");
    HttpResponse<String> role = gateway.post("/v1/chat/completions",
        "{\"model\":\"aigis-echo\",\"messages\":[{\"role\":7,\"content\":\"hi\"}]}");

    assertThat(notAnObject.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(notAnObject.body()).at("/error/param").asText()).isEqualTo("messages[0]");
    assertThat(content.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(content.body()).at("/error/param").asText()).isEqualTo("messages[1].content");
    assertThat(role.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(role.body()).at("/error/param").asText()).isEqualTo("messages[0].role");
  }

  @Test
  void aToolCallMessageWithNullContentIsFine() throws Exception {
    HttpResponse<String> response = gateway.post("/v1/chat/completions", """
        {"model":"aigis-echo","messages":[{"role":"user","content":"hi"},
         {"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{}"}}]},
         {"role":"tool","tool_call_id":"c1","content":"42"},{"role":"user","content":"thanks"}]}""");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(response.body()).at("/choices/0/message/content").asText()).isEqualTo("thanks");
  }

  @Test
  void aHostHeaderThatIsNotAHostIs400() throws Exception {
    String body = "{\"model\":\"aigis-echo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    String answer = raw("POST /v1/chat/completions HTTP/1.1\r\nHost: a%zz\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body);

    assertThat(answer).startsWith("HTTP/1.1 400 ");
    JsonNode error = JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4)).get("error");
    assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.get("message").asText()).isEqualTo("The Host header is not a valid host");
  }

  /** Sends one request as written (the JDK client will not send a Host it did not make) and reads to the close. */
  private String raw(String request) throws Exception {
    try (var socket = new Socket("127.0.0.1", gateway.port())) {
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}

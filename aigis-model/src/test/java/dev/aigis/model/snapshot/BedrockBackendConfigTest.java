package dev.aigis.model.snapshot;

import static dev.aigis.model.load.ConfigFixtures.BASE;
import static dev.aigis.model.load.ConfigFixtures.ENV;
import static dev.aigis.model.load.ConfigFixtures.errors;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.model.ConfigException;
import dev.aigis.model.backend.ApiSchema;
import dev.aigis.model.backend.AwsCredentials;
import dev.aigis.model.load.ConfigPipeline;
import org.junit.jupiter.api.Test;

/** AIBackend {@code schema: AWSBedrock}: {@code spec.aws.region} and a Secret with fixed AWS keys. */
class BedrockBackendConfigTest {

  @Test
  void bedrockBackendResolvesRegionAndCredentials() throws ConfigException {
    ConfigSnapshot snapshot = ConfigPipeline.compileText("good.yaml", """
        apiVersion: v1
        kind: Secret
        metadata: {name: aws}
        stringData: {accessKeyId: AKIAEXAMPLE, secretAccessKey: " s3cr3t/value\\n", sessionToken: tok3n}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: bedrock}
        spec:
          schema: AWSBedrock
          endpoint: {url: "https://bedrock-runtime.us-east-1.amazonaws.com"}
          aws: {region: us-east-1}
          credentials: {secretRef: {name: aws}}
        """ + BASE, ENV);

    ResolvedBackend bedrock = snapshot.backends().get("default/bedrock");
    assertThat(bedrock.backend().schema()).isEqualTo(ApiSchema.AWSBedrock);
    assertThat(bedrock.backend().awsRegion()).isEqualTo("us-east-1");
    assertThat(bedrock.apiKey()).isNull();
    assertThat(bedrock.aws()).isEqualTo(new AwsCredentials("AKIAEXAMPLE", "s3cr3t/value", "tok3n"));
    assertThat(bedrock.toString() + bedrock.aws()).doesNotContain("s3cr3t", "tok3n", "AKIAEXAMPLE")
        .contains("redacted");
  }

  @Test
  void sessionTokenIsOptional() throws ConfigException {
    ConfigSnapshot snapshot = ConfigPipeline.compileText("good.yaml", """
        apiVersion: v1
        kind: Secret
        metadata: {name: aws}
        stringData: {accessKeyId: AKIAEXAMPLE, secretAccessKey: s3cr3t}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: bedrock}
        spec:
          schema: AWSBedrock
          endpoint: {url: "https://bedrock-runtime.eu-west-1.amazonaws.com"}
          aws: {region: eu-west-1}
          credentials: {secretRef: {name: aws, key: ignored}}
        """ + BASE, ENV);
    assertThat(snapshot.backends().get("default/bedrock").aws().sessionToken()).isNull();
  }

  @Test
  void missingRegionKeysAndCredentialsAreNamed() {
    assertThat(errors("""
        apiVersion: v1
        kind: Secret
        metadata: {name: half}
        stringData: {accessKeyId: AKIAEXAMPLE}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: a}
        spec:
          schema: AWSBedrock
          endpoint: {url: "https://bedrock-runtime.us-east-1.amazonaws.com"}
          credentials: {secretRef: {name: half}}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: b}
        spec:
          schema: AWSBedrock
          endpoint: {url: "https://bedrock-runtime.us-east-1.amazonaws.com"}
          aws: {region: us-east-1}
          credentials: {env: AWS_KEYS}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: c}
        spec:
          schema: OpenAI
          endpoint: {url: "https://api.openai.com"}
          aws: {region: us-east-1}
        """ + BASE))
        .containsExactly(
            "bad.yaml:9: AIBackend/a: spec.aws.region: required for schema AWSBedrock (e.g. us-east-1)",
            "bad.yaml:12: AIBackend/a: spec.credentials.secretRef.name: Secret default/half has no (or an empty)"
                + " \"secretAccessKey\" for schema AWSBedrock",
            "bad.yaml:21: AIBackend/b: spec.credentials.secretRef: required for schema AWSBedrock: a Secret with"
                + " keys accessKeyId, secretAccessKey and optionally sessionToken",
            "bad.yaml:29: AIBackend/c: spec.aws: only used by schema AWSBedrock");
  }

  @Test
  void otherSchemasStillNeedTheSecretKey() {
    assertThat(errors("""
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: a}
        spec:
          schema: OpenAI
          endpoint: {url: "https://api.openai.com"}
          credentials: {secretRef: {name: keys}}
        """ + BASE)).singleElement().asString().contains("spec.credentials.secretRef.key");
  }
}

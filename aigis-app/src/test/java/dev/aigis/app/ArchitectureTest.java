package dev.aigis.app;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The module dependencies of docs/architecture.md ("Dependencies point one way": model ← core ←
 * extproc ← server ← app, and model ← kubernetes ← app), checked on the production classes of every module on this test's
 * class path. aigis-bench is not on it (it depends on app), so rules about bench only say that
 * nothing here may depend on it.
 */
@AnalyzeClasses(packages = "dev.aigis", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule modelStandsAlone = noClasses()
      .that().resideInAPackage("dev.aigis.model..")
      .should().dependOnClassesThat(resideInAPackage("dev.aigis..").and(resideOutsideOfPackage("dev.aigis.model..")))
      .orShould().dependOnClassesThat().resideInAnyPackage("io.vertx..", "io.netty..", "io.grpc..")
      .because("the model is the configuration the controller and the data plane share: records, loader and"
          + " compiler, with no server or transport types");

  @ArchTest
  static final ArchRule coreKnowsNoServer = noClasses()
      .that().resideInAPackage("dev.aigis.core..")
      .should().dependOnClassesThat().resideInAnyPackage(
          "dev.aigis.extproc..", "dev.aigis.server..", "dev.aigis.app..", "dev.aigis.testkit..", "dev.aigis.bench..")
      .orShould().dependOnClassesThat().resideInAnyPackage("io.vertx..", "io.netty..", "io.grpc..", "io.micrometer..")
      .because("core is what an AI gateway knows independent of any server; transports, metrics and the"
          + " data plane plug into it");

  @ArchTest
  static final ArchRule providersDoNotRunProcessors = noClasses()
      .that().resideInAPackage("dev.aigis.core.provider..")
      .should().dependOnClassesThat().resideInAPackage("dev.aigis.core.processing..")
      .because("provider adapters translate payloads; the processing chain runs around them, not inside them");

  @ArchTest
  static final ArchRule extProcKnowsNoServer = noClasses()
      .that().resideInAPackage("dev.aigis.extproc..")
      .should().dependOnClassesThat().resideInAnyPackage("dev.aigis.server..", "dev.aigis.app..", "dev.aigis.bench..")
      .because("the ext_proc client is a processor of core, usable by the processing compiler and tests without"
          + " the HTTP server");

  @ArchTest
  static final ArchRule serverKnowsNoApp = noClasses()
      .that().resideInAPackage("dev.aigis.server..")
      .should().dependOnClassesThat().resideInAnyPackage("dev.aigis.app..", "dev.aigis.bench..")
      .because("the CLI and the benchmarks are built on the server, not the other way round");

  @ArchTest
  static final ArchRule kubernetesKnowsOnlyTheModel = noClasses()
      .that().resideInAPackage("dev.aigis.kubernetes..")
      .should().dependOnClassesThat().resideInAnyPackage("dev.aigis.core..", "dev.aigis.extproc..",
          "dev.aigis.server..", "dev.aigis.app..", "dev.aigis.bench..")
      .orShould().dependOnClassesThat().resideInAnyPackage("io.vertx..", "io.netty..", "io.grpc..")
      .because("the controller translates the cluster's objects into the model's snapshot; the data plane that"
          + " serves it is plugged in by the application (docs/architecture.md)");

  @ArchTest
  static final ArchRule onlyTheControllerAndTheAppKnowKubernetes = noClasses()
      .that().resideInAPackage("dev.aigis..")
      .and().resideOutsideOfPackages("dev.aigis.kubernetes..", "dev.aigis.app..")
      .should().dependOnClassesThat().resideInAPackage("io.fabric8..")
      .because("Kubernetes API types stay in the controller, as Envoy AI Gateway keeps its data-plane config"
          + " free of them");

  @ArchTest
  static final ArchRule productionCodeDoesNotUseTheTestKit = noClasses()
      .that().resideInAPackage("dev.aigis..")
      .and().resideOutsideOfPackages("dev.aigis.testkit..", "dev.aigis.bench..")
      .should().dependOnClassesThat().resideInAPackage("dev.aigis.testkit..")
      .because("the test kit (fake upstreams, test certificates) serves tests and the benchmarks only");
}

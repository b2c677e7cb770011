package dev.precis;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The shape of the production code: a plain-Java core with the frameworks at its edges, packages
 * without cycles, and a development broker that the lean build can leave out.
 */
@AnalyzeClasses(packages = "dev.precis", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /** The stages a document passes through, which run without Kafka, Quarkus or a model server. */
    static final String[] CORE = {"dev.precis.pipeline", "dev.precis.chunking", "dev.precis.summarize",
        "dev.precis.llm", "dev.precis.llm.batch", "dev.precis.translate"};

    @ArchTest
    static final ArchRule coreImportsNoFramework = noClasses().that().resideInAnyPackage(CORE)
            .should().dependOnClassesThat().resideInAnyPackage("io.quarkus..", "jakarta..", "javax.inject..",
                    "org.apache.kafka..", "kafka..", "com.fasterxml..", "dev.langchain4j..", "io.smallrye..",
                    "org.eclipse.microprofile..", "io.vertx..", "io.micrometer..", "io.opentelemetry..",
                    "io.quarkiverse..")
            .because("the core is plain Java, unit-testable without a broker or a container");

    @ArchTest
    static final ArchRule coreKnowsNoEdge = noClasses().that().resideInAnyPackage(CORE)
            .should().dependOnClassesThat().resideInAnyPackage("dev.precis.ingest..", "dev.precis.publish..",
                    "dev.precis.config..", "dev.precis.wiring..", "dev.precis.ops..", "dev.precis.stores..",
                    "dev.precis.devbroker..", "dev.precis.llm.provider..", "dev.precis.http..", "dev.precis.cli..")
            .because("the edges adapt the core, never the other way round");

    @ArchTest
    static final ArchRule noCycleBetweenPackages = slices().matching("dev.precis.(**)").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule noCycleBetweenTopLevelPackages = slices().matching("dev.precis.(*)..").should()
            .beFreeOfCycles();

    @ArchTest
    static final ArchRule onlyTheDevelopmentBrokerRunsABroker = noClasses().that()
            .resideOutsideOfPackage("dev.precis.devbroker..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.precis.devbroker..", "kafka..",
                    "org.apache.kafka.metadata..", "org.apache.kafka.server..")
            .because("the lean build leaves the broker and dev.precis.devbroker out");

    @ArchTest
    static final ArchRule langChain4jOnlyInProviderAdapters = noClasses().that()
            .resideOutsideOfPackages("dev.precis.llm.provider..", "dev.precis.wiring..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.langchain4j..")
            .because("provider adapters sit apart from the gateway");

    /** A call that commits consumed offsets, plainly or in a transaction. */
    private static final DescribedPredicate<JavaMethodCall> COMMITS_OFFSETS = DescribedPredicate.describe(
            "commit consumed offsets", call -> call.getTarget().getOwner().getPackageName().startsWith(
                    "org.apache.kafka.clients") && call.getTarget().getName().matches(
                            "commitSync|commitAsync|sendOffsetsToTransaction"));

    @ArchTest
    static final ArchRule onlyTheEngineCommitsOffsets = noClasses().that()
            .resideOutsideOfPackages("dev.precis.ingest..", "dev.precis.publish.delivery..")
            .should().callMethodWhere(COMMITS_OFFSETS)
            .because("one road: a record is done, and its offset committed, in one place only");
}

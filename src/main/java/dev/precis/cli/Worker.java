package dev.precis.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The worker itself, as {@code ./precis worker} starts it: the launcher script runs the packaged
 * worker in a JVM of its own ({@code java -Xmx256m -XX:MaxNewSize=64m -jar}), so this command
 * only describes it, for {@code ./precis --help} and {@code ./precis worker --help}.
 */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = {"Run the worker: read documents from the input topic, summarize them, publish the results.",
            "Started by the ./precis script as `java -Xmx256m -XX:MaxNewSize=64m -jar target/quarkus-app/quarkus-run.jar`,"
                + " with the build's AOT cache when it was made by the same JDK (25 or newer).",
            "Environment: KAFKA_BOOTSTRAP_SERVERS (required without --embedded), PRECIS_SUMMARIZER=llm and the model's"
                + " settings (README), PRECIS_JVM_OPTS (replaces -Xmx256m -XX:MaxNewSize=64m)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped (SIGTERM), or drained in drain mode (PRECIS_DRAIN_ENABLED=true)",
            "1:the settings were refused at startup (the log says which)"})
final class Worker implements Callable<Integer> {

    @Option(names = "--embedded", description = "Start a Kafka broker in the worker (localhost:9092) and the HTTP API's "
            + "submit endpoint: nothing else needed, temporary data.")
    boolean embedded;

    @Parameters(paramLabel = "JVM-OPTION", arity = "0..*",
            description = "Options for the worker's JVM, added to the defaults (-D..., -XX:...).")
    List<String> jvmOptions;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("Start the worker with the launcher script: ./precis worker"
                + (embedded ? " --embedded" : ""));
        return 2;
    }
}

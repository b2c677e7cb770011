package dev.precis.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command line beside the worker, from the same build, for bulk runs: {@code submit} sends a
 * folder or a JSONL file to the input topic and follows every document to its result or dead letter;
 * {@code tail} writes results to files as they are published. It talks to Kafka directly and
 * needs no running HTTP API. Run it with {@code ./precis} from the project root.
 */
@Command(name = "precis", mixinStandardHelpOptions = true, subcommands = {Worker.class, Submit.class, Tail.class},
        synopsisSubcommandLabel = "COMMAND",
        description = "précis: Kafka documents in, summaries out. The worker, and bulk submit and collect beside it.")
public final class Precis {

    public static void main(String[] args) {
        // The Kafka clients log through the worker's log manager; on a command line only their warnings matter.
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (for tests, without exiting). */
    public static int run(String... args) {
        return new CommandLine(new Precis()).execute(args);
    }

    /** The same, with progress and messages written to {@code err}. */
    public static int run(PrintWriter err, String... args) {
        return new CommandLine(new Precis()).setErr(err).execute(args);
    }
}

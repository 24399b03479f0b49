package dev.sluice.local.cli;

import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code sluice} command: runs integrations on this machine and helps debug them. */
@Command(
    name = "sluice",
    mixinStandardHelpOptions = true,
    version = "sluice 0.1.0",
    description = "Run Sluice integrations locally and debug webhook signatures.",
    subcommands = {
      DemoCommand.class,
      BackfillCommand.class,
      InvokeCommand.class,
      VerifyCommand.class,
      CommandLine.HelpCommand.class
    })
public final class SluiceCommand implements Runnable {

  /** Exit status when the command could not run at all, as opposed to a check that failed. */
  static final int CANNOT_RUN = 3;

  /** Set by the launcher script: the repository the command works in. */
  static final String HOME_PROPERTY = "sluice.home";

  @Spec CommandSpec spec;

  /** Runs the command and exits with its status (0 ok, 1 failed check, 2 usage error). */
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /**
   * The command line with its error handling: a usage error prints its message and where to find
   * help, not the whole help text.
   */
  static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new SluiceCommand());
    commandLine.setParameterExceptionHandler(
        (error, args) -> {
          CommandLine failed = error.getCommandLine();
          failed.getErr().println(failed.getCommandName() + ": " + error.getMessage());
          failed
              .getErr()
              .println("Try './sluice " + qualifiedName(failed) + "--help' for the options.");
          return failed.getCommandSpec().exitCodeOnInvalidInput();
        });
    commandLine.setExecutionExceptionHandler(
        (error, failed, parseResult) -> {
          // The run could not start or finish (an endpoint down, say): the message says what.
          failed.getErr().println(failed.getCommandName() + ": " + error.getMessage());
          failed.getErr().println("Details are in .sluice/logs/sluice.log.");
          return CANNOT_RUN;
        });
    return commandLine;
  }

  private static String qualifiedName(CommandLine command) {
    String name = command.getCommandSpec().qualifiedName(" ");
    return name.startsWith("sluice ") ? name.substring("sluice ".length()) + " " : "";
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The repository root: the launcher's folder, or the working directory. */
  static Path repositoryRoot() {
    return Path.of(System.getProperty(HOME_PROPERTY, ".")).toAbsolutePath().normalize();
  }
}

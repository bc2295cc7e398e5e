package dev.aigis.app;

import dev.aigis.server.audit.AuditChain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code aigis audit verify FILE...}: checks one audit chain (the current file and its rotated
 * files, in any order) and names the first record that was edited, removed, inserted or reordered.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = "Verify an audit log's hash chain: give the file and its rotated files (FILE FILE.1 ...), in any order. "
        + "Prints 'ok: N records', or the first bad record as FILE:LINE and exits 1.")
final class AuditVerifyCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "FILE", arity = "1..*", description = "The audit log and its rotated files.")
  List<Path> files;

  @Override
  public Integer call() {
    for (Path file : files) {
      if (!Files.isRegularFile(file)) {
        spec.commandLine().getErr().println(file + ": no such file");
        return 1;
      }
    }
    AuditChain.Verdict verdict;
    try {
      verdict = AuditChain.verify(files);
    } catch (IOException e) {
      spec.commandLine().getErr().println("aigis: cannot read the audit log: " + e.getMessage());
      return 1;
    }
    if (!verdict.ok()) {
      spec.commandLine().getOut().println(verdict.problem());
      spec.commandLine().getOut().flush();
      return 1;
    }
    spec.commandLine().getOut().println("ok: " + verdict.records() + " records");
    spec.commandLine().getOut().flush();
    return 0;
  }
}

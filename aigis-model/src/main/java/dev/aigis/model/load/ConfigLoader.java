package dev.aigis.model.load;

import dev.aigis.model.ConfigError;
import dev.aigis.model.Resource;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads Kubernetes-style YAML files (several documents per file, separated by {@code ---}) into
 * resource records. It never throws for bad content: every problem becomes a {@link ConfigError} naming
 * the file, line, resource and field path, and documents with errors are left out of the resources.
 * Cross-resource checks (references, duplicates, credentials) belong to the snapshot compiler.
 */
public final class ConfigLoader {

  /** Resources in file and document order, and every error found. */
  public record LoadResult(List<Resource> resources, List<ConfigError> errors) {
    public LoadResult {
      resources = List.copyOf(resources);
      errors = List.copyOf(errors);
    }

    public boolean ok() {
      return errors.isEmpty();
    }
  }

  private ConfigLoader() {}

  public static LoadResult load(List<Path> files) {
    List<Resource> resources = new ArrayList<>();
    List<ConfigError> errors = new ArrayList<>();
    for (Path file : files) {
      String text;
      try {
        text = Files.readString(file);
      } catch (CharacterCodingException e) {
        errors.add(new ConfigError(file.toString(), 0, null, null, "cannot read file: not valid UTF-8"));
        continue;
      } catch (IOException | SecurityException e) {
        errors.add(new ConfigError(file.toString(), 0, null, null, "cannot read file: " + describe(e)));
        continue;
      }
      read(file.toString(), text, resources, errors);
    }
    return new LoadResult(resources, errors);
  }

  public static LoadResult loadText(String fileName, String yaml) {
    List<Resource> resources = new ArrayList<>();
    List<ConfigError> errors = new ArrayList<>();
    read(fileName, yaml, resources, errors);
    return new LoadResult(resources, errors);
  }

  private static void read(String file, String yaml, List<Resource> resources, List<ConfigError> errors) {
    YamlDocuments.Parsed parsed = YamlDocuments.parse(yaml);
    for (YamlDocuments.Document document : parsed.documents()) {
      Resource resource = DocumentReader.read(file, document, errors);
      if (resource != null) {
        resources.add(resource);
      }
    }
    if (parsed.error() != null) {
      errors.add(new ConfigError(file, parsed.error().line(), null, null, "YAML syntax error: " + parsed.error().problem()));
    }
  }

  private static String describe(Exception e) {
    return switch (e) {
      case java.nio.file.NoSuchFileException ignored -> "no such file";
      case java.nio.file.AccessDeniedException ignored -> "permission denied";
      default -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    };
  }
}

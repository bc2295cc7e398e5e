package dev.aigis.model.load;

import dev.aigis.model.ConfigError;
import dev.aigis.model.Resource;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads Kubernetes-style YAML files (several documents per file, separated by {@code ---}) into
 * resource records. It never throws for bad content: every problem becomes a {@link ConfigError} naming
 * the file, line, resource and field path, and documents with errors are left out of the resources.
 * Cross-resource checks (references, duplicates, credentials) belong to the snapshot compiler.
 */
public final class ConfigLoader {

  /**
   * Resources in file and document order, and every error found.
   *
   * @param unloaded {@code Kind/namespace/name} of the documents left out for their errors
   * @param unloadedKnown whether every document left out could be named (no unreadable file, YAML
   *     syntax error or nameless document): only then can the rest be compiled without reporting
   *     references to unknown resources as missing
   */
  public record LoadResult(List<Resource> resources, List<ConfigError> errors, Set<String> unloaded,
      boolean unloadedKnown) {
    public LoadResult {
      resources = List.copyOf(resources);
      errors = List.copyOf(errors);
      unloaded = Set.copyOf(unloaded);
    }

    public boolean ok() {
      return errors.isEmpty();
    }
  }

  /** What a load gathers as it goes. */
  private static final class Gathered {
    final List<Resource> resources = new ArrayList<>();
    final List<ConfigError> errors = new ArrayList<>();
    final Set<String> unloaded = new HashSet<>();
    boolean unloadedKnown = true;

    LoadResult result() {
      return new LoadResult(resources, errors, unloaded, unloadedKnown);
    }
  }

  private ConfigLoader() {}

  public static LoadResult load(List<Path> files) {
    Gathered gathered = new Gathered();
    List<ConfigError> errors = gathered.errors;
    for (Path file : files) {
      String text;
      try {
        text = Files.readString(file);
      } catch (CharacterCodingException e) {
        errors.add(new ConfigError(file.toString(), 0, null, null, "cannot read file: not valid UTF-8"));
        gathered.unloadedKnown = false;
        continue;
      } catch (IOException | SecurityException e) {
        errors.add(new ConfigError(file.toString(), 0, null, null, "cannot read file: " + describe(e)));
        gathered.unloadedKnown = false;
        continue;
      }
      read(file.toString(), text, gathered);
    }
    return gathered.result();
  }

  public static LoadResult loadText(String fileName, String yaml) {
    Gathered gathered = new Gathered();
    read(fileName, yaml, gathered);
    return gathered.result();
  }

  /**
   * Reads one document that is already a tree, such as an object from the Kubernetes API, named by
   * {@code source} in errors (fields have no lines there). The tree must hold only what a file would:
   * server-set metadata and {@code status} are the caller's to strip.
   */
  public static LoadResult loadTree(String source, com.fasterxml.jackson.databind.JsonNode root) {
    Gathered gathered = new Gathered();
    YamlDocuments.Document document = new YamlDocuments.Document(root, 0, java.util.Map.of(), java.util.Map.of());
    Resource resource = DocumentReader.read(source, document, gathered.errors);
    if (resource != null) {
      gathered.resources.add(resource);
    } else {
      String identity = DocumentReader.identity(document);
      if (identity == null) {
        gathered.unloadedKnown = false;
      } else {
        gathered.unloaded.add(identity);
      }
    }
    return gathered.result();
  }

  private static void read(String file, String yaml, Gathered gathered) {
    YamlDocuments.Parsed parsed = YamlDocuments.parse(yaml);
    for (YamlDocuments.Document document : parsed.documents()) {
      Resource resource = DocumentReader.read(file, document, gathered.errors);
      if (resource != null) {
        gathered.resources.add(resource);
      } else {
        String identity = DocumentReader.identity(document);
        if (identity == null) {
          gathered.unloadedKnown = false;
        } else {
          gathered.unloaded.add(identity);
        }
      }
    }
    if (parsed.error() != null) {
      gathered.errors.add(new ConfigError(file, parsed.error().line(), null, null,
          "YAML syntax error: " + parsed.error().problem()));
      gathered.unloadedKnown = false;
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

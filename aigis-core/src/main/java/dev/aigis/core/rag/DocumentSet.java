package dev.aigis.core.rag;

import dev.aigis.model.KnowledgeBase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where a local knowledge base's documents are and how to read them: files and directories
 * resolved against the configuration file's directory, and ConfigMap texts fixed when the
 * configuration was compiled. {@link #stamp} is cheap (file sizes and times, no reads), so polling it
 * every few seconds costs nothing while nothing changes. Immutable; a value (its equality decides
 * whether a reload may keep the built index).
 *
 * @param files each path source: the resolved path and its include globs
 * @param configMapDocuments {@code configmap/key} → text, in configuration order
 */
public record DocumentSet(List<FileSource> files, Map<String, String> configMapDocuments) {

  /** The most bytes one document may have: anything larger is not documentation. */
  static final long MAX_DOCUMENT_BYTES = 4 * 1024 * 1024;

  /** @param field where the source sits in the spec, for errors */
  public record FileSource(Path path, List<String> include, String field) {}

  /** One document: its name (what sources are called) and text. */
  public record Document(String name, String text) {}

  public DocumentSet {
    files = List.copyOf(files);
    configMapDocuments = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(configMapDocuments));
  }

  /**
   * Every document, files first in source and path order.
   *
   * @throws KnowledgeBaseException naming the source that cannot be read
   */
  public List<Document> read() {
    List<Document> documents = new ArrayList<>();
    for (FileSource source : files) {
      for (Path file : list(source)) {
        try {
          if (Files.size(file) > MAX_DOCUMENT_BYTES) {
            throw new KnowledgeBaseException(source.field(), file + " is larger than " + MAX_DOCUMENT_BYTES
                + " bytes; split it or use an external retriever");
          }
          documents.add(new Document(name(source.path(), file), Files.readString(file, StandardCharsets.UTF_8)));
        } catch (IOException | UncheckedIOException e) {
          throw new KnowledgeBaseException(source.field(), "cannot read " + file + ": " + e.getMessage());
        }
      }
    }
    configMapDocuments.forEach((name, text) -> documents.add(new Document(name, text)));
    return documents;
  }

  /** What changes when a file source changes: each file's path, size and modification time. */
  public List<String> stamp() {
    List<String> stamp = new ArrayList<>();
    for (FileSource source : files) {
      try {
        for (Path file : list(source)) {
          BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
          stamp.add(file + "|" + attributes.size() + "|" + attributes.lastModifiedTime().toMillis());
        }
      } catch (IOException | KnowledgeBaseException e) {
        stamp.add(source.path() + "|unreadable");
      }
    }
    return stamp;
  }

  public boolean hasFiles() {
    return !files.isEmpty();
  }

  /** The files of a source: itself, or the Markdown and text files under a directory that match its globs. */
  private static List<Path> list(FileSource source) {
    Path path = source.path();
    if (Files.isRegularFile(path)) {
      return List.of(path);
    }
    if (!Files.isDirectory(path)) {
      throw new KnowledgeBaseException(source.field(), "no such file or directory: " + path);
    }
    // Globs match the path relative to the directory; a leading **/ also matches at the top level.
    List<PathMatcher> globs = source.include().stream()
        .flatMap(glob -> glob.startsWith("**/") ? Stream.of(glob, glob.substring(3)) : Stream.of(glob))
        .map(glob -> FileSystems.getDefault().getPathMatcher("glob:" + glob)).toList();
    try (Stream<Path> walk = Files.walk(path)) {
      return walk.filter(Files::isRegularFile)
          .filter(file -> KnowledgeBase.EXTENSIONS.stream()
              .anyMatch(ext -> file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(ext)))
          .filter(file -> globs.isEmpty() || globs.stream().anyMatch(glob -> glob.matches(path.relativize(file))))
          .sorted(Comparator.comparing(Path::toString))
          .toList();
    } catch (IOException | UncheckedIOException e) {
      throw new KnowledgeBaseException(source.field(), "cannot list " + path + ": " + e.getMessage());
    }
  }

  /** A file's name as a source: relative to its directory source (with {@code /}), or its own name. */
  private static String name(Path source, Path file) {
    if (file.equals(source)) {
      return file.getFileName().toString();
    }
    return source.relativize(file).toString().replace('\\', '/');
  }
}

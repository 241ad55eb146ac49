package io.sessionstate.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Compiles Java sources at test time into a fresh class loader, so that two versions of one class
 * (or a class no loader has initialized yet) can stand side by side in one test. Shared with the
 * codec modules' tests through session-api's test-jar.
 */
public final class CompiledClasses {
  private CompiledClasses() {}

  /**
   * Compiles {@code sources} (binary class name to source text) and returns a loader, named {@code
   * name}, that defines them; its parent is the platform loader, so nothing else leaks in.
   */
  public static URLClassLoader load(String name, Map<String, String> sources) {
    try {
      Path dir = Files.createTempDirectory("compiled-" + name);
      List<String> args = new ArrayList<>(List.of("-d", dir.toString(), "--release", "17"));
      for (Map.Entry<String, String> source : sources.entrySet()) {
        Path file = dir.resolve(source.getKey().replace('.', '/') + ".java");
        Files.createDirectories(file.getParent());
        Files.writeString(file, source.getValue(), StandardCharsets.UTF_8);
        args.add(file.toString());
      }
      JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
      int status = javac.run(null, null, null, args.toArray(new String[0]));
      if (status != 0) {
        throw new IllegalStateException("javac failed for " + sources.keySet());
      }
      return new URLClassLoader(
          name, new URL[] {dir.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
    } catch (MalformedURLException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Creates an instance through the public constructor that takes {@code args}' classes. */
  public static Object newInstance(ClassLoader loader, String className, Object... args) {
    try {
      Class<?> type = Class.forName(className, true, loader);
      for (var constructor : type.getConstructors()) {
        if (constructor.getParameterCount() == args.length) {
          return constructor.newInstance(args);
        }
      }
      throw new IllegalStateException("no constructor with " + args.length + " parameters");
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }
}

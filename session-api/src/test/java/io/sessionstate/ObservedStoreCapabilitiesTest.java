package io.sessionstate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionstate.spi.ReplacingSessionStore;
import io.sessionstate.spi.SessionStore;
import io.sessionstate.spi.VersionedSessionStore;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The observing decorator never hides a capability of the store it wraps: each combination of the
 * known ones comes back as exactly that combination, a capability it does not know is kept through
 * the proxy (and its calls are still timed), and every capability the SPI package declares is one
 * the fast path knows, so a new one added to the SPI fails here until it is.
 */
class ObservedStoreCapabilitiesTest {

  /** A capability this release's decorator knows nothing of, as a later SPI might add. */
  public interface PinningSessionStore extends SessionStore {
    int pin(String key);
  }

  @Test
  void everyCombinationOfTheKnownCapabilities_comesBackAsThatCombination() {
    List<Set<Class<?>>> combinations =
        List.of(
            Set.of(),
            Set.of(ReplacingSessionStore.class),
            Set.of(VersionedSessionStore.class),
            Set.of(ReplacingSessionStore.class, VersionedSessionStore.class));
    for (Set<Class<?>> combination : combinations) {
      SessionStore observed = ObservedStore.wrap(fakeStore(combination), new RecordingObserver());
      assertThat(observed).isInstanceOf(ObservedStore.class);
      assertThat(observed instanceof ReplacingSessionStore)
          .as("replacing, for %s", combination)
          .isEqualTo(combination.contains(ReplacingSessionStore.class));
      assertThat(observed instanceof VersionedSessionStore)
          .as("versioned, for %s", combination)
          .isEqualTo(combination.contains(VersionedSessionStore.class));
    }
  }

  @Test
  void anUnknownCapability_isKept_andItsCallsAreTimedAsOther() {
    TestStore real = TestStore.inProcess();
    PinningStore store = new PinningStore(real);
    RecordingObserver observer = new RecordingObserver();

    SessionStore observed = ObservedStore.wrap(store, observer);

    assertThat(observed)
        .isInstanceOf(PinningSessionStore.class)
        .isInstanceOf(ReplacingSessionStore.class)
        .isNotInstanceOf(VersionedSessionStore.class);
    assertThat(((PinningSessionStore) observed).pin("k")).isEqualTo(42);
    observed.save("k", new byte[] {1, 2, 3}, Duration.ofMinutes(1));
    assertThat(observed.loadAndTouch("k", Duration.ofMinutes(1))).isPresent();
    ((ReplacingSessionStore) observed).replace("k", "k2", new byte[] {4}, Duration.ofMinutes(1));
    assertThat(observed.name()).isEqualTo(real.name());
    assertThat(observed.isNonBlocking()).isEqualTo(real.isNonBlocking());
    store.pinFailure = new IllegalStateException("no pins");
    assertThatThrownBy(() -> ((PinningSessionStore) observed).pin("k")).hasMessage("no pins");

    assertThat(observer.calls)
        .containsExactly(
            "other ok",
            "save ok 3",
            "load ok 3",
            "replace ok 1",
            "other error IllegalStateException");
    assertThat(observed).isEqualTo(observed).isNotEqualTo(store);
  }

  @Test
  void everyCapabilityInTheSpiPackage_isOneTheDecoratorDeclares()
      throws IOException, URISyntaxException {
    Path spi =
        Path.of(SessionStore.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .resolve("io/sessionstate/spi");
    Set<Class<?>> capabilities;
    try (Stream<Path> files = Files.list(spi)) {
      capabilities =
          files
              .map(f -> f.getFileName().toString())
              .filter(n -> n.endsWith(".class") && !n.contains("$") && !n.startsWith("package"))
              .map(n -> load("io.sessionstate.spi." + n.substring(0, n.length() - 6)))
              .filter(c -> c.isInterface() && SessionStore.class.isAssignableFrom(c))
              .collect(Collectors.toSet());
    }

    assertThat(capabilities).contains(SessionStore.class, VersionedSessionStore.class);
    Set<Class<?>> declaredOrCalledDirectly = new HashSet<>(ObservedStore.KNOWN_CAPABILITIES);
    declaredOrCalledDirectly.addAll(ObservedStore.UNOBSERVED_CAPABILITIES);
    assertThat(declaredOrCalledDirectly)
        .as(
            "a capability in io.sessionstate.spi that ObservedStore does not declare is still"
                + " kept (through ObservedStoreProxy), but its calls go through reflection and"
                + " are timed as OTHER: give ObservedStore its operations and a subclass")
        .containsAll(capabilities);
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name);
    } catch (ClassNotFoundException e) {
      throw new AssertionError(e);
    }
  }

  /** A store implementing exactly {@code capabilities}, none of whose calls is made here. */
  private static SessionStore fakeStore(Set<Class<?>> capabilities) {
    Class<?>[] interfaces =
        Stream.concat(Stream.of(SessionStore.class), capabilities.stream())
            .distinct()
            .toArray(Class<?>[]::new);
    return (SessionStore)
        Proxy.newProxyInstance(
            SessionStore.class.getClassLoader(),
            interfaces,
            (proxy, method, args) -> method.getName().equals("name") ? "fake" : null);
  }

  /** A real store with one more capability than the decorator knows. */
  static final class PinningStore implements PinningSessionStore, ReplacingSessionStore {
    private final TestStore store;
    volatile RuntimeException pinFailure;

    PinningStore(TestStore store) {
      this.store = store;
    }

    @Override
    public int pin(String key) {
      if (pinFailure != null) {
        throw pinFailure;
      }
      return 42;
    }

    @Override
    public String name() {
      return store.name();
    }

    @Override
    public Optional<byte[]> loadAndTouch(String key, Duration ttl) {
      return store.loadAndTouch(key, ttl);
    }

    @Override
    public void save(String key, byte[] blob, Duration ttl) {
      store.save(key, blob, ttl);
    }

    @Override
    public void touch(String key, Duration ttl) {
      store.touch(key, ttl);
    }

    @Override
    public void delete(String key) {
      store.delete(key);
    }

    @Override
    public void replace(String oldKey, String newKey, byte[] blob, Duration ttl) {
      store.replace(oldKey, newKey, blob, ttl);
    }

    @Override
    public boolean isNonBlocking() {
      return store.isNonBlocking();
    }

    @Override
    public void close() {
      store.close();
    }
  }
}

package io.sessionstate.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionstate.CommitMode;
import io.sessionstate.CookieOptions;
import io.sessionstate.SessionListener;
import io.sessionstate.SessionManager;
import io.sessionstate.memory.MemorySessionStore;
import io.sessionstate.servlet.SessionFilter;
import io.sessionstate.spi.SessionStore;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ContextConsumer;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.core.annotation.Order;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.web.http.SessionRepositoryFilter;

class SessionStateAutoConfigurationTest {

  static final String KEY =
      "sessionstate.key-ring.keys.k1=" + Base64.getEncoder().encodeToString(new byte[32]);

  private final WebApplicationContextRunner runner =
      new WebApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(SessionStateAutoConfiguration.class));

  private final WebApplicationContextRunner memory =
      runner.withPropertyValues("sessionstate.store=memory");

  // ---- store selection

  @Test
  void noStore_failsStartupNamingTheProperty() {
    runner.run(
        failsWith(
            "No session store is configured: sessionstate.store is not set and there is no"
                + " SessionStore bean.",
            "Set sessionstate.store to memory (this process only), redis or postgresql, or define"
                + " a SessionStore bean."));
  }

  @Test
  void memoryStore_managerOverMemoryStoreAndFilterAheadOfSpringSecurity() {
    memory.run(
        context -> {
          assertThat(context).hasNotFailed();
          SessionManager manager = context.getBean(SessionManager.class);
          assertThat(manager.store()).isInstanceOf(MemorySessionStore.class);
          assertThat(manager.idleTimeout()).isEqualTo(SessionManager.DEFAULT_IDLE_TIMEOUT);
          assertThat(manager.ioTimeout()).isEqualTo(SessionManager.DEFAULT_IO_TIMEOUT);
          assertThat(manager.absoluteLifetime()).isEmpty();
          FilterRegistrationBean<?> filter = filter(context);
          assertThat(filter.getFilter()).isInstanceOf(SessionFilter.class);
          assertThat(filter.getOrder()).isEqualTo(Integer.MIN_VALUE + 50);
          // Spring Security's filter chain is registered at -100.
          assertThat(filter.getOrder()).isLessThan(-100);
          assertThat(filter.determineDispatcherTypes())
              .containsExactlyInAnyOrder(
                  DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);
          assertThat(filter.getFilter().toString())
              .contains("commitFailure=RESPOND_503", "trustForwardedProto=false");
        });
  }

  @Test
  void storeTypeIsCaseInsensitive() {
    runner
        .withPropertyValues("sessionstate.store=MEMORY")
        .run(
            context ->
                assertThat(context.getBean(SessionManager.class).store())
                    .isInstanceOf(MemorySessionStore.class));
  }

  @Test
  void unknownStoreType_failsBinding() {
    runner
        .withPropertyValues("sessionstate.store=mongodb")
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(context.getStartupFailure())
                  .rootCause()
                  .isInstanceOf(IllegalArgumentException.class)
                  .hasMessage(
                      "No enum constant"
                          + " io.sessionstate.spring.boot.StoreProperties.StoreType.mongodb");
            });
  }

  @Test
  void storeModuleMissing_failsNamingTheDependency() {
    runner
        .withPropertyValues("sessionstate.store=redis")
        .withClassLoader(new FilteredClassLoader("io.sessionstate.redis"))
        .run(
            failsWith(
                "sessionstate.store is redis, but io.sessionstate.redis.RedisSessionStore is not on"
                    + " the class path.",
                "Add the dependency io.sessionstate:session-store-redis"
                    + " (sessionstate-spring-boot-starter brings every store)."));
  }

  @Test
  void applicationStoreBean_usedWithoutTheProperty() {
    runner
        .withBean("myStore", SessionStore.class, () -> MemorySessionStore.builder().build())
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context.getBean(SessionManager.class).store())
                  .isSameAs(context.getBean("myStore"));
            });
  }

  @Test
  void applicationStoreBean_winsOverTheProperty() {
    memory
        .withBean("myStore", SessionStore.class, () -> MemorySessionStore.builder().build())
        .run(
            context -> {
              assertThat(context).hasSingleBean(SessionStore.class);
              assertThat(context.getBean(SessionManager.class).store())
                  .isSameAs(context.getBean("myStore"));
            });
  }

  @Test
  void applicationManagerBean_backsOffAndServesTheFilter() {
    SessionManager own =
        SessionManager.builder().store(MemorySessionStore.builder().build()).build();
    runner
        .withBean("myManager", SessionManager.class, () -> own)
        .run(
            context -> {
              assertThat(context).hasSingleBean(SessionManager.class);
              assertThat(filter(context).getFilter().toString()).contains(own.toString());
            });
  }

  @Test
  void applicationFilterRegistration_backsOff() {
    FilterRegistrationBean<SessionFilter> own = new FilterRegistrationBean<>();
    memory
        .withBean("sessionStateFilter", FilterRegistrationBean.class, () -> own)
        .run(context -> assertThat(context.getBean("sessionStateFilter")).isSameAs(own));
  }

  @Test
  void notAServletWebApplication_backsOff() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SessionStateAutoConfiguration.class))
        .withPropertyValues("sessionstate.store=memory")
        .run(context -> assertThat(context).doesNotHaveBean(SessionManager.class));
  }

  @Test
  void springSessionFilterPresent_failsStartup() {
    memory
        .withBean(
            "springSessionRepositoryFilter",
            SessionRepositoryFilter.class,
            () -> new SessionRepositoryFilter<>(new MapSessionRepository(Map.of())))
        .run(
            failsWith(
                "Spring Session's SessionRepositoryFilter (bean 'springSessionRepositoryFilter') is"
                    + " configured as well as sessionstate: each would serve HttpSession from its"
                    + " own store, and sign-in would land in whichever ran first.",
                "Use one of them: remove Spring Session (spring-boot-starter-session-* or"
                    + " spring-session-*) or sessionstate-spring-boot-starter from the"
                    + " dependencies."));
  }

  // ---- commit mode

  @Test
  void commitMode_mergeByDefault() {
    memory.run(
        context ->
            assertThat(context.getBean(SessionManager.class).commitMode())
                .isEqualTo(CommitMode.MERGE));
  }

  @Test
  void commitMode_fromProperty() {
    memory
        .withPropertyValues("sessionstate.commit-mode=strict")
        .run(
            context ->
                assertThat(context.getBean(SessionManager.class).commitMode())
                    .isEqualTo(CommitMode.STRICT));
  }

  @Test
  void commitMode_mergeOverAStoreWithoutVersions_failsNamingTheProperty() {
    runner
        .withBean(SessionStore.class, UnversionedStore::new)
        .withPropertyValues(KEY)
        .run(
            failsWith(
                "The session manager cannot be built: commitMode MERGE needs a store with versions"
                    + " (VersionedSessionStore): the store unversioned has none",
                "Set sessionstate.commit-mode=coherent, or use a store with versions (every"
                    + " sessionstate store has them)."));
  }

  @Test
  void commitMode_coherentOverAStoreWithoutVersions_starts() {
    runner
        .withBean(SessionStore.class, UnversionedStore::new)
        .withPropertyValues(KEY, "sessionstate.commit-mode=coherent")
        .run(
            context ->
                assertThat(context.getBean(SessionManager.class).commitMode())
                    .isEqualTo(CommitMode.COHERENT));
  }

  /** A store of the application's own, without versions. */
  static final class UnversionedStore implements SessionStore {
    @Override
    public String name() {
      return "unversioned";
    }

    @Override
    public java.util.Optional<byte[]> loadAndTouch(String key, Duration ttl) {
      return java.util.Optional.empty();
    }

    @Override
    public void save(String key, byte[] blob, Duration ttl) {}

    @Override
    public void touch(String key, Duration ttl) {}

    @Override
    public void delete(String key) {}

    @Override
    public void close() {}
  }

  // ---- timeouts

  @Test
  void idleTimeout_defaultsToTheLibrarys() {
    memory.run(
        context ->
            assertThat(context.getBean(SessionManager.class).idleTimeout())
                .isEqualTo(Duration.ofMinutes(20)));
  }

  @Test
  void idleTimeout_fallsBackToServerServletSessionTimeoutInSeconds() {
    memory
        .withPropertyValues("server.servlet.session.timeout=90")
        .run(
            context ->
                assertThat(context.getBean(SessionManager.class).idleTimeout())
                    .isEqualTo(Duration.ofSeconds(90)));
  }

  @Test
  void idleTimeout_ownPropertyWinsOverBoots() {
    memory
        .withPropertyValues("server.servlet.session.timeout=90s", "sessionstate.idle-timeout=5m")
        .run(
            context ->
                assertThat(context.getBean(SessionManager.class).idleTimeout())
                    .isEqualTo(Duration.ofMinutes(5)));
  }

  @Test
  void idleTimeout_negative_failsNamingTheProperty() {
    memory
        .withPropertyValues("sessionstate.idle-timeout=-5s")
        .run(
            failsWith(
                "sessionstate.idle-timeout is invalid: idleTimeout must be positive: PT-5S",
                "Change sessionstate.idle-timeout."));
  }

  @Test
  void ioTimeoutAndAbsoluteLifetime_applied() {
    memory
        .withPropertyValues("sessionstate.io-timeout=3s", "sessionstate.absolute-lifetime=8h")
        .run(
            context -> {
              SessionManager manager = context.getBean(SessionManager.class);
              assertThat(manager.ioTimeout()).isEqualTo(Duration.ofSeconds(3));
              assertThat(manager.absoluteLifetime()).contains(Duration.ofHours(8));
            });
  }

  @Test
  void absoluteLifetime_zero_failsNamingTheProperty() {
    memory
        .withPropertyValues("sessionstate.absolute-lifetime=0s")
        .run(
            failsWith(
                "sessionstate.absolute-lifetime is invalid: absoluteLifetime must be positive: PT0S",
                "Change sessionstate.absolute-lifetime."));
  }

  // ---- cookie

  @Test
  void cookie_libraryDefaultsWhenNothingIsSet() {
    memory.run(
        context -> {
          CookieOptions cookie = context.getBean(SessionManager.class).cookieOptions();
          assertThat(cookie.name()).isEqualTo("session");
          assertThat(cookie.path()).isEqualTo("/");
          assertThat(cookie.domain()).isEmpty();
          assertThat(cookie.httpOnly()).isTrue();
          assertThat(cookie.sameSite()).isEqualTo(CookieOptions.SameSite.LAX);
          assertThat(cookie.securePolicy()).isEqualTo(CookieOptions.SecurePolicy.SAME_AS_REQUEST);
          assertThat(cookie.maxAge()).isEmpty();
          assertThat(cookie.partitioned()).isFalse();
        });
  }

  @Test
  void cookie_fallsBackToServerServletSessionCookie() {
    memory
        .withPropertyValues(
            "server.servlet.session.cookie.name=SID",
            "server.servlet.session.cookie.path=/app",
            "server.servlet.session.cookie.domain=example.com",
            "server.servlet.session.cookie.http-only=false",
            "server.servlet.session.cookie.secure=true",
            "server.servlet.session.cookie.same-site=strict",
            "server.servlet.session.cookie.max-age=3600",
            "server.servlet.session.cookie.partitioned=true")
        .run(
            context -> {
              CookieOptions cookie = context.getBean(SessionManager.class).cookieOptions();
              assertThat(cookie.name()).isEqualTo("SID");
              assertThat(cookie.path()).isEqualTo("/app");
              assertThat(cookie.domain()).contains("example.com");
              assertThat(cookie.httpOnly()).isFalse();
              assertThat(cookie.securePolicy()).isEqualTo(CookieOptions.SecurePolicy.ALWAYS);
              assertThat(cookie.sameSite()).isEqualTo(CookieOptions.SameSite.STRICT);
              assertThat(cookie.maxAge()).contains(Duration.ofHours(1));
              assertThat(cookie.partitioned()).isTrue();
            });
  }

  @Test
  void cookie_bootSecureFalse_isNever() {
    memory
        .withPropertyValues("server.servlet.session.cookie.secure=false")
        .run(
            context ->
                assertThat(context.getBean(SessionManager.class).cookieOptions().securePolicy())
                    .isEqualTo(CookieOptions.SecurePolicy.NEVER));
  }

  @Test
  void cookie_ownPropertiesWinOverBoots() {
    memory
        .withPropertyValues(
            "server.servlet.session.cookie.name=SID",
            "server.servlet.session.cookie.secure=true",
            "server.servlet.session.cookie.same-site=strict",
            "sessionstate.cookie.name=app_session",
            "sessionstate.cookie.secure=same-as-request",
            "sessionstate.cookie.same-site=lax",
            "sessionstate.cookie.max-age=2h")
        .run(
            context -> {
              CookieOptions cookie = context.getBean(SessionManager.class).cookieOptions();
              assertThat(cookie.name()).isEqualTo("app_session");
              assertThat(cookie.securePolicy())
                  .isEqualTo(CookieOptions.SecurePolicy.SAME_AS_REQUEST);
              assertThat(cookie.sameSite()).isEqualTo(CookieOptions.SameSite.LAX);
              assertThat(cookie.maxAge()).contains(Duration.ofHours(2));
            });
  }

  @Test
  void cookie_sameSiteNoneWithoutSecure_failsNamingTheProperties() {
    memory
        .withPropertyValues("sessionstate.cookie.same-site=none")
        .run(
            failsWith(
                "sessionstate.cookie is invalid: sameSite NONE requires securePolicy ALWAYS, since"
                    + " browsers reject SameSite=None cookies that are not Secure: securePolicy is"
                    + " SAME_AS_REQUEST",
                "Change the sessionstate.cookie.* (or server.servlet.session.cookie.*)"
                    + " properties."));
  }

  @Test
  void cookie_invalidName_failsNamingTheProperty() {
    memory
        .withPropertyValues("sessionstate.cookie.name=bad name")
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(context.getStartupFailure())
                  .rootCause()
                  .isInstanceOf(IllegalArgumentException.class);
              SessionStateConfigurationException failure = configurationFailure(context);
              assertThat(failure.getMessage()).startsWith("sessionstate.cookie.name is invalid: ");
              assertThat(failure.action()).isEqualTo("Change sessionstate.cookie.name.");
            });
  }

  // ---- key ring

  @Test
  void keyRing_oneKey_isThePrimary() {
    memory
        .withPropertyValues(KEY)
        .run(
            context ->
                assertThat(context.getBean(SessionManager.class).toString())
                    .contains("keyRing=KeyRing{primary=k1, keys=[k1]}"));
  }

  @Test
  void keyRing_primaryAndRevoked() {
    String secret = Base64.getEncoder().encodeToString(new byte[40]);
    memory
        .withPropertyValues(
            "sessionstate.key-ring.keys.old=" + secret,
            "sessionstate.key-ring.keys.new=" + secret,
            "sessionstate.key-ring.keys.leaked=" + secret,
            "sessionstate.key-ring.primary=new",
            "sessionstate.key-ring.revoked=leaked")
        .run(
            context ->
                // The binder does not keep the order of the map's keys; the ring's order is moot.
                assertThat(context.getBean(SessionManager.class).toString())
                    .containsAnyOf(
                        "keyRing=KeyRing{primary=new, keys=[old, new]}",
                        "keyRing=KeyRing{primary=new, keys=[new, old]}"));
  }

  @Test
  void keyRing_severalKeysWithoutPrimary_fails() {
    String secret = Base64.getEncoder().encodeToString(new byte[32]);
    memory
        .withPropertyValues(
            "sessionstate.key-ring.keys.a=" + secret, "sessionstate.key-ring.keys.b=" + secret)
        .run(
            failsWith(
                "sessionstate.key-ring.keys has 2 keys [a, b] and sessionstate.key-ring.primary"
                    + " does not say which one signs.",
                "Set sessionstate.key-ring.primary to the id of the newest key."));
  }

  @Test
  void keyRing_primaryWithoutKeys_fails() {
    memory
        .withPropertyValues("sessionstate.key-ring.primary=k9")
        .run(
            failsWith(
                "sessionstate.key-ring.primary names key 'k9', but sessionstate.key-ring.keys is"
                    + " empty.",
                "Add the key as sessionstate.key-ring.keys.k9=<Base64 secret>."));
  }

  @Test
  void keyRing_notBase64_failsWithoutEchoingTheSecret() {
    memory
        .withPropertyValues("sessionstate.key-ring.keys.k1=not*base64*secret")
        .run(
            context -> {
              SessionStateConfigurationException failure = configurationFailure(context);
              assertThat(failure.getMessage())
                  .isEqualTo("sessionstate.key-ring.keys.k1 is not valid Base64.");
              assertThat(failure.action())
                  .isEqualTo(
                      "Set it to a Base64 secret of at least 32 random bytes, such as the output"
                          + " of `openssl rand -base64 32`.");
              assertThat(context.getStartupFailure().toString()).doesNotContain("not*base64");
            });
  }

  @Test
  void keyRing_shortSecret_failsNamingTheKey() {
    memory
        .withPropertyValues(
            "sessionstate.key-ring.keys.k1=" + Base64.getEncoder().encodeToString(new byte[16]))
        .run(
            context ->
                assertThat(configurationFailure(context).getMessage())
                    .isEqualTo(
                        "sessionstate.key-ring is invalid: secret for key k1 must be at least 32"
                            + " bytes: 16"));
  }

  // ---- filter

  @Test
  void filter_orderDispatcherTypesAndCommitFailureFromProperties() {
    memory
        .withPropertyValues(
            "sessionstate.filter.order=-500",
            "sessionstate.filter.dispatcher-types=request,forward",
            "sessionstate.filter.commit-failure=log-and-continue")
        .run(
            context -> {
              FilterRegistrationBean<?> filter = filter(context);
              assertThat(filter.getOrder()).isEqualTo(-500);
              assertThat(filter.determineDispatcherTypes())
                  .containsExactlyInAnyOrder(DispatcherType.REQUEST, DispatcherType.FORWARD);
              assertThat(filter.getFilter().toString()).contains("commitFailure=LOG_AND_CONTINUE");
            });
  }

  @Test
  void filter_noDispatcherTypes_fails() {
    memory
        .withPropertyValues("sessionstate.filter.dispatcher-types=")
        .run(
            failsWith(
                "sessionstate.filter.dispatcher-types is empty: the filter would serve no request.",
                "Set sessionstate.filter.dispatcher-types to REQUEST, ASYNC, ERROR (the default)."));
  }

  @Test
  void forwardHeadersStrategy_nativeOrFramework_trustsForwardedProto() {
    for (String strategy : List.of("native", "framework", "FRAMEWORK")) {
      memory
          .withPropertyValues("server.forward-headers-strategy=" + strategy)
          .run(
              context ->
                  assertThat(filter(context).getFilter().toString())
                      .contains("trustForwardedProto=true"));
    }
    memory
        .withPropertyValues("server.forward-headers-strategy=none")
        .run(
            context ->
                assertThat(filter(context).getFilter().toString())
                    .contains("trustForwardedProto=false"));
  }

  @Test
  void trustForwardedProto_ownPropertyWins() {
    memory
        .withPropertyValues(
            "server.forward-headers-strategy=native", "sessionstate.trust-forwarded-proto=false")
        .run(
            context ->
                assertThat(filter(context).getFilter().toString())
                    .contains("trustForwardedProto=false"));
  }

  // ---- listeners, customizers, health, shutdown

  @Test
  void listenerBeans_allToldOfANewSession() {
    List<String> events = new ArrayList<>();
    memory
        .withBean("first", SessionListener.class, () -> new Recording("first", events))
        .withBean("second", SessionListener.class, () -> new Recording("second", events))
        .withBean(
            "servletListener",
            HttpSessionListener.class,
            () ->
                new HttpSessionListener() {
                  @Override
                  public void sessionCreated(HttpSessionEvent event) {
                    events.add("servlet created");
                  }
                })
        .run(
            context -> {
              serve(context, request -> request.getSession().setAttribute("cart", "1 item"));
              assertThat(events)
                  .containsExactlyInAnyOrder("first created", "second created", "servlet created");
            });
  }

  @Test
  void builderCustomizers_runInOrderAfterTheProperties() {
    memory
        .withPropertyValues("sessionstate.idle-timeout=5m")
        .withBean("later", SessionManagerBuilderCustomizer.class, () -> new Later())
        .withBean("earlier", SessionManagerBuilderCustomizer.class, () -> new Earlier())
        .run(
            context ->
                assertThat(context.getBean(SessionManager.class).idleTimeout())
                    .isEqualTo(Duration.ofMinutes(9)));
  }

  @Test
  void healthIndicator_upWithTheStoresName() {
    memory.run(
        context -> {
          Health health =
              context.getBean("sessionstateHealthIndicator", HealthIndicator.class).health();
          assertThat(health.getStatus()).isEqualTo(Status.UP);
          assertThat(health.getDetails()).containsEntry("store", "memory");
        });
  }

  @Test
  void healthIndicator_downWhenTheStoreFails() {
    memory.run(
        context -> {
          context.getBean(SessionManager.class).store().close();
          Health health =
              context.getBean("sessionstateHealthIndicator", HealthIndicator.class).health();
          assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        });
  }

  @Test
  void healthIndicator_disabledByManagementProperty() {
    memory
        .withPropertyValues("management.health.sessionstate.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean("sessionstateHealthIndicator"));
  }

  @Test
  void contextClose_closesTheManagerAndItsStore() {
    SessionManager[] manager = new SessionManager[1];
    memory.run(context -> manager[0] = context.getBean(SessionManager.class));
    assertThat(
            org.assertj.core.api.Assertions.catchThrowable(
                () -> manager[0].begin(null, false, () -> false)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("SessionManager is closed");
  }

  @Test
  void failureAnalyzer_reportsDescriptionAndAction() {
    SessionStateConfigurationException failure =
        new SessionStateConfigurationException("what is wrong", "what to set");
    FailureAnalysis analysis =
        new SessionStateFailureAnalyzer().analyze(new IllegalStateException("wrapper", failure));
    assertThat(analysis.getDescription()).isEqualTo("what is wrong");
    assertThat(analysis.getAction()).isEqualTo("what to set");
    assertThat(analysis.getCause()).isSameAs(failure);
  }

  // ---- helpers

  @Order(2)
  static final class Later implements SessionManagerBuilderCustomizer {
    @Override
    public void customize(SessionManager.Builder builder) {
      builder.idleTimeout(Duration.ofMinutes(9));
    }
  }

  @Order(1)
  static final class Earlier implements SessionManagerBuilderCustomizer {
    @Override
    public void customize(SessionManager.Builder builder) {
      builder.idleTimeout(Duration.ofMinutes(7));
    }
  }

  record Recording(String name, List<String> events) implements SessionListener {
    @Override
    public void created(String sessionId) {
      events.add(name + " created");
    }
  }

  interface Handler {
    void handle(HttpServletRequest request);
  }

  static void serve(AssertableWebApplicationContext context, Handler handler) throws Exception {
    SessionFilter filter = (SessionFilter) filter(context).getFilter();
    filter.init(new org.springframework.mock.web.MockFilterConfig());
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/");
    MockHttpServletResponse response = new MockHttpServletResponse();
    filter.doFilter(
        request,
        response,
        new MockFilterChain(
            new jakarta.servlet.http.HttpServlet() {
              private static final long serialVersionUID = 1L;

              @Override
              protected void service(
                  HttpServletRequest req, jakarta.servlet.http.HttpServletResponse res) {
                handler.handle(req);
              }
            }));
    assertThat(response.getStatus()).isEqualTo(200);
  }

  static FilterRegistrationBean<?> filter(AssertableWebApplicationContext context) {
    return context.getBean("sessionStateFilter", FilterRegistrationBean.class);
  }

  static SessionStateConfigurationException configurationFailure(
      org.springframework.boot.test.context.assertj.ApplicationContextAssertProvider<?> context) {
    assertThat(context).hasFailed();
    Throwable t = context.getStartupFailure();
    while (t != null && !(t instanceof SessionStateConfigurationException)) {
      t = t.getCause();
    }
    assertThat(t).as("a SessionStateConfigurationException in the cause chain").isNotNull();
    return (SessionStateConfigurationException) t;
  }

  static ContextConsumer<AssertableWebApplicationContext> failsWith(
      String description, String action) {
    return context -> {
      SessionStateConfigurationException failure = configurationFailure(context);
      assertThat(failure.getMessage()).isEqualTo(description);
      assertThat(failure.action()).isEqualTo(action);
      FailureAnalysis analysis =
          new SessionStateFailureAnalyzer().analyze(context.getStartupFailure());
      assertThat(analysis.getDescription()).isEqualTo(description);
      assertThat(analysis.getAction()).isEqualTo(action);
    };
  }
}

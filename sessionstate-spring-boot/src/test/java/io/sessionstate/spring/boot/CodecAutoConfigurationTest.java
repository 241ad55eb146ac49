package io.sessionstate.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.sessionstate.JavaSerializationCodec;
import io.sessionstate.SessionDataException;
import io.sessionstate.SessionManager;
import io.sessionstate.ValueCodec;
import io.sessionstate.elsewhere.Coupon;
import java.io.Serializable;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.core.userdetails.User;

class CodecAutoConfigurationTest {

  /** Stands for the application's {@code @SpringBootApplication} class, in this package. */
  @Configuration(proxyBeanMethods = false)
  @AutoConfigurationPackage
  static class App {}

  record CartItem(String name, int quantity) implements Serializable {}

  private final WebApplicationContextRunner runner =
      new WebApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(SessionStateAutoConfiguration.class))
          .withUserConfiguration(App.class)
          .withPropertyValues("sessionstate.store=memory");

  @Test
  void defaultCodec_isTheManagersAndReadsTheApplicationsOwnClasses() {
    runner.run(
        context -> {
          ValueCodec codec = context.getBean(ValueCodec.class);
          assertThat(codec).isInstanceOf(JavaSerializationCodec.class);
          assertThat(context.getBean(SessionManager.class).valueCodec()).containsSame(codec);
          List<CartItem> cart = List.of(new CartItem("tea", 2));
          assertThat(codec.decode(codec.encode(cart), Object.class)).isEqualTo(cart);
        });
  }

  @Test
  void defaultCodec_readsSpringSecuritysContext() {
    runner.run(
        context -> {
          ValueCodec codec = context.getBean(ValueCodec.class);
          User user = new User("ada", "", AuthorityUtils.createAuthorityList("ROLE_USER"));
          SecurityContext security =
              new SecurityContextImpl(
                  UsernamePasswordAuthenticationToken.authenticated(
                      user, null, user.getAuthorities()));
          SecurityContext back = codec.decode(codec.encode(security), SecurityContext.class);
          assertThat(back.getAuthentication().getName()).isEqualTo("ada");
          assertThat(back.getAuthentication().getAuthorities())
              .extracting(Object::toString)
              .containsExactly("ROLE_USER");
        });
  }

  @Test
  void defaultCodec_refusesAClassOutsideTheAllowList() {
    runner.run(
        context -> {
          ValueCodec codec = context.getBean(ValueCodec.class);
          Throwable failure = catchThrowable(() -> codec.encode(new Coupon("SAVE10")));
          assertThat(failure)
              .isInstanceOf(SessionDataException.class)
              .hasMessage(
                  "cannot encode value of class io.sessionstate.elsewhere.Coupon: class"
                      + " io.sessionstate.elsewhere.Coupon is not in the allow-list (add it with"
                      + " JavaSerializationCodec.builder().allowClass(...) or .allowPackage(...))");
        });
  }

  @Test
  void allowedClassesProperty_extendsTheList() {
    runner
        .withPropertyValues("sessionstate.codec.allowed-classes=io.sessionstate.elsewhere.Coupon")
        .run(
            context -> {
              ValueCodec codec = context.getBean(ValueCodec.class);
              Coupon coupon = new Coupon("SAVE10");
              assertThat(codec.decode(codec.encode(coupon), Object.class)).isEqualTo(coupon);
            });
  }

  @Test
  void allowedPackagesProperty_extendsTheList() {
    runner
        .withPropertyValues("sessionstate.codec.allowed-packages=io.sessionstate.elsewhere")
        .run(
            context -> {
              ValueCodec codec = context.getBean(ValueCodec.class);
              Coupon coupon = new Coupon("SAVE10");
              assertThat(codec.decode(codec.encode(coupon), Object.class)).isEqualTo(coupon);
            });
  }

  @Test
  void allowedPackagesProperty_jdkPackage_failsNamingTheProperty() {
    runner
        .withPropertyValues("sessionstate.codec.allowed-packages=java.net")
        .run(
            SessionStateAutoConfigurationTest.failsWith(
                "sessionstate.codec.allowed-packages is invalid: allowPackage must not name a JDK"
                    + " package, which holds deserialization gadgets; allow the JDK classes you"
                    + " need one by one with allowClass: java.net",
                "Change sessionstate.codec.allowed-packages."));
  }

  @Test
  void codecCustomizer_extendsTheList() {
    runner
        .withBean(
            JavaSerializationCodecCustomizer.class,
            () -> builder -> builder.allowClass(Coupon.class))
        .run(
            context -> {
              ValueCodec codec = context.getBean(ValueCodec.class);
              Coupon coupon = new Coupon("SAVE10");
              assertThat(codec.decode(codec.encode(coupon), Object.class)).isEqualTo(coupon);
            });
  }

  @Test
  void applicationCodecBean_backsOff() {
    ValueCodec own = JavaSerializationCodec.builder().allowPackage("com.example").build();
    runner
        .withBean("myCodec", ValueCodec.class, () -> own)
        .run(
            context -> {
              assertThat(context).hasSingleBean(ValueCodec.class);
              assertThat(context.getBean(SessionManager.class).valueCodec()).containsSame(own);
            });
  }
}

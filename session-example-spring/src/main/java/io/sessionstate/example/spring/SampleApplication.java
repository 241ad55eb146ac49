package io.sessionstate.example.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot app with Spring MVC and Spring Security form login whose {@code HttpSession} is
 * sessionstate's: the starter dependency and {@code application.properties} are all it takes. There
 * is no sessionstate code here.
 */
@SpringBootApplication
public class SampleApplication {

  /** Made by Spring Boot, which reads the application's configuration from this class. */
  public SampleApplication() {}

  /**
   * Starts the shop.
   *
   * @param args Spring Boot's command-line arguments, such as {@code --server.port=8081}
   */
  public static void main(String[] args) {
    SpringApplication.run(SampleApplication.class, args);
  }
}

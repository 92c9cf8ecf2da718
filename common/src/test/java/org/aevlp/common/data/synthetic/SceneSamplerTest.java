package org.aevlp.common.data.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SceneSamplerTest {

  @Test
  void objectsHaveDistinctClassesAndStayInsideTheImage() {
    SyntheticSpec spec = new SyntheticSpec(0, 1, 1, 0, 64, 6, 2, 5, 0.15, 0.35, 0.5, 0);
    SceneSampler sampler = new SceneSampler(spec);
    int[] objectCounts = new int[6];
    int[] classCounts = new int[ShapeClass.COUNT];
    Set<ObjectColour> colours = new HashSet<>();
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < 2000; i++) {
      Scene scene = sampler.sample(random);
      int n = scene.objects().size();
      assertTrue(n >= 2 && n <= 5, "object count " + n);
      objectCounts[n]++;
      Set<ShapeClass> classes = new HashSet<>();
      for (SceneObject object : scene.objects()) {
        assertTrue(classes.add(object.shape()), "classes of one image must differ");
        assertTrue(object.shape().ordinal() < 6, "only the first class_count classes");
        assertTrue(object.size() >= 0.15 && object.size() <= 0.35);
        double r = object.size() / 2;
        assertTrue(object.cx() >= r && object.cx() <= 1 - r && object.cy() >= r && object.cy() <= 1 - r);
        classCounts[object.shape().ordinal()]++;
        colours.add(object.colour());
      }
      double[] labels = scene.labels(6);
      assertEquals(n, (int) Arrays.stream(labels).sum());
    }
    for (int n = 2; n <= 5; n++) {
      assertTrue(objectCounts[n] > 400, "object count " + n + " drawn " + objectCounts[n] + " times of 2000");
    }
    for (int c = 0; c < 6; c++) {
      assertTrue(classCounts[c] > 1000, "class " + c + " appears " + classCounts[c] + " times");
    }
    assertEquals(ObjectColour.values().length, colours.size());
  }

  @Test
  void uncrowdedObjectsKeepTheirDistance() {
    SyntheticSpec spec = new SyntheticSpec(0, 1, 1, 0, 64, 10, 2, 2, 0.2, 0.3, 0.5, 0);
    SceneSampler sampler = new SceneSampler(spec);
    SplittableRandom random = new SplittableRandom(2);
    for (int i = 0; i < 500; i++) {
      Scene scene = sampler.sample(random);
      SceneObject a = scene.objects().get(0);
      SceneObject b = scene.objects().get(1);
      double distance = Math.sqrt(Math.pow(a.cx() - b.cx(), 2) + Math.pow(a.cy() - b.cy(), 2));
      assertTrue(distance >= SceneSampler.SEPARATION * (a.size() + b.size()) / 2 - 1e-12, "objects overlap: " + scene);
    }
  }
}

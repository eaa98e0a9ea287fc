"""The demo expertise taxonomy: the seed record's areas plus invented ones below them."""

import json

from django.conf import settings
from django.core import serializers

from devtools.demo.records import AREA_CODE_PREFIX
from devtools.demo.vocabulary import BASE_TAXONOMY, POPULATIONS, REGIONS, ascii_slug
from partners.models import (
    ExpertiseArea,
)


class TaxonomyBuilder:
    """``DemoBuilder``'s part that writes expertise areas."""

    def build_taxonomy(self, size):
        """The real taxonomy (seed fixture, else a built-in one) plus generated sub-areas up to ``size``."""
        if not ExpertiseArea.objects.exists():
            self.load_fixture_taxonomy()
        if not ExpertiseArea.objects.exists():
            self.add_base_taxonomy()
        areas = list(ExpertiseArea.objects.all())
        by_path = {area.path: area for area in areas}
        next_step = {}
        for area in areas:
            parent_path = area.path[: -ExpertiseArea.steplen]
            step = int(area.path[-ExpertiseArea.steplen :], 36)
            next_step[parent_path] = max(next_step.get(parent_path, 0), step)
        new_areas = []

        def add_child(parent, name, name_zh):
            step = next_step.get(parent.path, 0) + 1
            next_step[parent.path] = step
            code = f"{AREA_CODE_PREFIX}{len(new_areas) + 1:04d}-{ascii_slug(name)}"[:100].rstrip("-")
            child = ExpertiseArea(
                path=ExpertiseArea._get_path(parent.path, parent.depth + 1, step),
                depth=parent.depth + 1,
                numchild=0,
                code=code,
                name=name,
                name_zh=name_zh,
                description="Generated sub-area (demo data).",
            )
            parent.numchild += 1
            new_areas.append(child)
            by_path[child.path] = child
            return child

        top_depth = 2 if any(area.depth == 2 for area in areas) else 1
        stems = [area for area in areas if area.depth == top_depth]
        budget = size - len(areas)
        populations = []
        for population, population_zh in POPULATIONS:
            for stem in stems:
                if budget <= 0:
                    break
                populations.append(
                    add_child(stem, f"{stem.name}: {population}", f"{stem.name_zh or stem.name}：{population_zh}")
                )
                budget -= 1
        for region, region_zh in REGIONS:
            for middle in populations:
                if budget <= 0:
                    break
                add_child(middle, f"{middle.name} ({region})", f"{middle.name_zh}（{region_zh}）")
                budget -= 1
        self.writer.insert(new_areas)
        touched = [area for area in areas if area.numchild != 0]
        ExpertiseArea.objects.bulk_update(touched, ["numchild"], batch_size=500)
        self.areas = sorted(ExpertiseArea.objects.all(), key=lambda area: area.path)
        self.summary.areas = len(self.areas)
        self.roots = [area for area in self.areas if area.depth == 1]
        self.branch_of = {}
        self.branch_areas = {index: [] for index in range(len(self.roots))}
        root_index = {root.path: index for index, root in enumerate(self.roots)}
        for position, area in enumerate(self.areas):
            branch = root_index[area.path[: ExpertiseArea.steplen]]
            self.branch_of[position] = branch
            self.branch_areas[branch].append(position)
        self.branch_weights = [len(self.branch_areas[index]) ** 0.5 for index in range(len(self.roots))]

    def load_fixture_taxonomy(self):
        """The expertise areas of the seed fixture, when it exists (nothing else from it)."""
        path = settings.BASE_DIR / "fixtures" / f"{settings.LIAISON_SEED_FIXTURE}.json"
        if not path.exists():
            return
        objects = [o for o in json.loads(path.read_text(encoding="utf-8")) if o["model"] == "partners.expertisearea"]
        for deserialized in serializers.deserialize("json", json.dumps(objects), handle_forward_references=True):
            deserialized.save()

    def add_base_taxonomy(self):
        for root_index, ((name, name_zh), children) in enumerate(BASE_TAXONOMY, start=1):
            root_code = f"{AREA_CODE_PREFIX}root-{ascii_slug(name)}"
            root_path = ExpertiseArea._get_path(None, 1, root_index)
            self.writer.insert(
                [
                    ExpertiseArea(
                        path=root_path, depth=1, numchild=len(children), code=root_code, name=name, name_zh=name_zh
                    ),
                    *[
                        ExpertiseArea(
                            path=ExpertiseArea._get_path(root_path, 2, step),
                            depth=2,
                            numchild=0,
                            code=f"{AREA_CODE_PREFIX}base-{ascii_slug(child)}",
                            name=child,
                            name_zh=child_zh,
                        )
                        for step, (child, child_zh) in enumerate(children, start=1)
                    ],
                ]
            )

    def pick_areas(self, branch, count):
        """``count`` distinct area positions, mostly from ``branch``."""
        chosen = []
        for _ in range(count * 3):
            if len(chosen) == count:
                break
            source = branch if self.rng.random() < 0.75 else self.rng.randrange(len(self.roots))
            position = self.rng.choice(self.branch_areas[source])
            if position not in chosen:
                chosen.append(position)
        return chosen

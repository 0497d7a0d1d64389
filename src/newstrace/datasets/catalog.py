"""The public rating lists newstrace reads: where they live and where they came from.

Each list keeps its original file names and formats inside
``<data_dir>/source-ratings/<folder>/``; ``newstrace data fetch ratings`` downloads the same
files from the pinned commits of their public GitHub repositories (docs/ratings.md).
"""

from __future__ import annotations

from dataclasses import dataclass

RATINGS_DIR = "source-ratings"


@dataclass(frozen=True, slots=True)
class RatingList:
    key: str
    folder: str
    title: str
    licence: str
    repo: str
    commit: str
    #: (path in the repository, file name in the local folder)
    files: tuple[tuple[str, str], ...]
    citation: str = ""


LISTS: tuple[RatingList, ...] = (
    RatingList(
        key="idiap",
        folder="idiap-news-media-reliability",
        title="idiap News-Media-Reliability (Burdisso et al., NAACL 2024)",
        licence="Apache-2.0",
        repo="idiap/News-Media-Reliability",
        commit="c3f50254a9fc07402ac529a1c50ff6abf7aeba10",
        files=(
            ("data/golden_truth/golden_truth_dataset.csv", "golden_truth_dataset.csv"),
            ("data/golden_truth/mbfc/mbfc.csv", "mbfc.csv"),
            ("CC-NEWS/ALL/08/graph/en/reliability_scores.json", "reliability_scores.json"),
            ("README.md", "README.md"),
            ("LICENSE", "LICENSE"),
        ),
        citation="Burdisso et al. 2024, Reliability Estimation of News Media Sources",
    ),
    RatingList(
        key="cred1",
        folder="cred1",
        title="CRED-1 low-credibility domain list",
        licence="CC-BY-4.0",
        repo="aloth/cred-1",
        commit="3b9875675744bd73c4acb997603ae73bf78d341e",
        files=(
            ("data/cred1_current.csv", "cred1_current.csv"),
            ("CODEBOOK.md", "CODEBOOK.md"),
            ("ATTRIBUTION.md", "ATTRIBUTION.md"),
            ("LICENSE", "LICENSE"),
        ),
    ),
    RatingList(
        key="iffy",
        folder="iffy-news",
        title="Iffy+ index of unreliable sources (Iffy.news, via osome-iu/top-FIBers)",
        licence="MIT (repository); list by Iffy.news",
        repo="osome-iu/top-FIBers",
        commit="9e466a28247d83dde847248fab20f521a7e896e8",
        files=(
            ("data/iffy_files/2024-08-01__iffy_list.txt", "2024-08-01__iffy_list.txt"),
            (
                "data/iffy_files/archive/2023-04-01__iffy_list.txt",
                "2023-04-01__iffy_list_incl_mixed.txt",
            ),
            ("data/README.md", "data_README.md"),
            ("LICENSE", "LICENSE_repo_MIT.txt"),
        ),
    ),
    RatingList(
        key="lasser",
        folder="lasser-misinformation-domains",
        title="Lasser et al. misinformation domains (clean list)",
        licence="CC-BY-SA-4.0 (compilation)",
        repo="JanaLasser/misinformation_domains",
        commit="29b1c0417c9e294eb9d5e4c36856807ab8c2a866",
        files=(
            ("data/clean/domain_list_clean.csv", "clean/domain_list_clean.csv"),
            ("README.md", "README.md"),
        ),
    ),
    RatingList(
        key="lin2023",
        folder="lin2023-domain-quality",
        title="Lin et al. 2023 domain quality (pc1 ensemble)",
        licence="none stated; README: 'Feel free to reuse the data', cite Lin et al. 2023",
        repo="hauselin/domain-quality-ratings",
        commit="5671d57e545e48225ef2cbf559a6ab7f8f77a9de",
        files=(
            ("data/domain_ratings.csv", "domain_ratings.csv"),
            ("data/README.md", "data_README.md"),
            ("README.md", "README.md"),
        ),
        citation="Lin et al. 2023, PNAS Nexus 2(9) pgad286",
    ),
    RatingList(
        key="opensources",
        folder="opensources",
        title="OpenSources (Zimdars, v2.1.0, 2017)",
        licence="LGPL-3.0 (repository LICENSE); described elsewhere as CC BY 4.0",
        repo="OpenSourcesGroup/opensources",
        commit="2fb428d0e132baae5ed8ab034d4eafbe9dc77cbb",
        files=(
            ("sources/sources.json", "sources.json"),
            ("README.md", "README.md"),
            ("LICENSE", "LICENSE"),
        ),
    ),
)

BY_KEY: dict[str, RatingList] = {rl.key: rl for rl in LISTS}

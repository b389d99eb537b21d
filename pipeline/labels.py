"""The words outputs print around the content, in the document's language.

Every label the deck, the briefing and the Markdown print (Agenda, Contents, Verdict, "Page 2
of 7", "(cont.)", ...) comes from here: a catalogue per language (en, de, fr, es, pt, it, nl,
ja), chosen by the document's `language` (its primary subtag when the region has no entry of
its own), then a theme's `labels:` and an audience profile's `labels:` over it. Labels with
`{placeholders}` are filled by the renderer ({n}, {title}, {page}, {pages}, {audience}).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Protocol

from .errors import Diagnostic, SourceLocation

if TYPE_CHECKING:
    from .model import Document


class HasLabels(Protocol):
    """A theme, as far as labels go (labels.py is below tokens.py)."""

    @property
    def labels(self) -> Mapping[str, str]: ...


FALLBACK = "en"


@dataclass(frozen=True, slots=True)
class Labels:
    """One language's labels; field names are the keys themes and profiles override."""

    kicker: str  # over the cover title
    prepared_for: str  # cover caption above the audience
    published_by: str
    date: str
    contents: str
    about: str  # the abstract's heading
    summary: str  # over a section's summary
    derived: str
    derived_table: str
    verdict: str  # a verdict's label unless it names its own
    agenda: str
    key_takeaways: str
    continued: str  # a continuation slide's title suffix
    continued_n: str  # the third and later: {n}
    continued_notes: str  # opens a continuation slide's notes: {title}
    page_of: str  # running footer: {page}, {pages}
    confidential: str  # the {confidential} footer token
    for_audience: str  # the {prepared_for} footer token: {audience}
    prepared_for_audience: str  # deck cover line and document category: {audience}
    tone_note: str
    tone_tip: str
    tone_warning: str
    tone_success: str
    source: str  # before a chart's source line
    chart_data: str  # a chart's data table caption, before the chart's title

    def tone(self, tone: str) -> str:
        return str(getattr(self, f"tone_{tone}"))

    def fill(self, key: str, **values: object) -> str:
        return str(getattr(self, key)).format(**values)


KEYS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(Labels))

_EN = Labels(
    kicker="Briefing", prepared_for="Prepared for", published_by="Published by", date="Date",
    contents="Contents", about="About this briefing", summary="In brief",
    derived="Derived from the article's statements, not verbatim.",
    derived_table="Derived table: compiled from facts the article states elsewhere; not part "
    "of the original text.",
    verdict="Verdict", agenda="Agenda", key_takeaways="Key takeaways", continued="(cont.)",
    continued_n="(cont. {n})", continued_notes="Continued: {title}.",
    page_of="Page {page} of {pages}", confidential="Confidential",
    for_audience="prepared for {audience}", prepared_for_audience="Prepared for {audience}",
    tone_note="Note", tone_tip="Tip", tone_warning="Warning", tone_success="Success",
    source="Source:", chart_data="Data",
)  # fmt: skip

CATALOGUE: dict[str, Labels] = {
    "en": _EN,
    "de": Labels(
        kicker="Briefing",
        prepared_for="Erstellt für",
        published_by="Herausgegeben von",
        date="Datum",
        contents="Inhalt",
        about="Über dieses Briefing",
        summary="Kurz gesagt",
        derived="Aus den Aussagen des Artikels abgeleitet, nicht wörtlich.",
        derived_table="Abgeleitete Tabelle: aus Fakten zusammengestellt, die der Artikel an "
        "anderer Stelle nennt; nicht Teil des Originaltexts.",
        verdict="Fazit",
        agenda="Agenda",
        key_takeaways="Das Wichtigste in Kürze",
        continued="(Forts.)",
        continued_n="(Forts. {n})",
        continued_notes="Fortsetzung: {title}.",
        page_of="Seite {page} von {pages}",
        confidential="Vertraulich",
        for_audience="erstellt für {audience}",
        prepared_for_audience="Erstellt für {audience}",
        tone_note="Hinweis",
        tone_tip="Tipp",
        tone_warning="Warnung",
        tone_success="Erfolg",
        source="Quelle:",
        chart_data="Werte",
    ),
    "fr": Labels(
        kicker="Note d’information",
        prepared_for="Préparé pour",
        published_by="Publié par",
        date="Date",
        contents="Sommaire",
        about="À propos de cette note",
        summary="En bref",
        derived="Déduit des affirmations de l’article, pas une citation.",
        derived_table="Tableau dérivé : établi à partir de faits que l’article énonce "
        "ailleurs ; il ne fait pas partie du texte original.",
        verdict="Verdict",
        agenda="Ordre du jour",
        key_takeaways="Points clés",
        continued="(suite)",
        continued_n="(suite {n})",
        continued_notes="Suite : {title}.",
        page_of="Page {page} sur {pages}",
        confidential="Confidentiel",
        for_audience="préparé pour {audience}",
        prepared_for_audience="Préparé pour {audience}",
        tone_note="Remarque",
        tone_tip="Conseil",
        tone_warning="Attention",
        tone_success="Réussite",
        source="Source :",
        chart_data="Données",
    ),
    "es": Labels(
        kicker="Informe",
        prepared_for="Preparado para",
        published_by="Publicado por",
        date="Fecha",
        contents="Índice",
        about="Acerca de este informe",
        summary="En resumen",
        derived="Derivado de las afirmaciones del artículo, no literal.",
        derived_table="Tabla derivada: elaborada con datos que el artículo menciona en otras "
        "partes; no forma parte del texto original.",
        verdict="Veredicto",
        agenda="Agenda",
        key_takeaways="Puntos clave",
        continued="(cont.)",
        continued_n="(cont. {n})",
        continued_notes="Continuación: {title}.",
        page_of="Página {page} de {pages}",
        confidential="Confidencial",
        for_audience="preparado para {audience}",
        prepared_for_audience="Preparado para {audience}",
        tone_note="Nota",
        tone_tip="Consejo",
        tone_warning="Advertencia",
        tone_success="Éxito",
        source="Fuente:",
        chart_data="Datos",
    ),
    "pt": Labels(
        kicker="Relatório",
        prepared_for="Preparado para",
        published_by="Publicado por",
        date="Data",
        contents="Sumário",
        about="Sobre este relatório",
        summary="Em resumo",
        derived="Derivado das afirmações do artigo, não literal.",
        derived_table="Tabela derivada: compilada a partir de fatos que o artigo menciona em "
        "outras partes; não faz parte do texto original.",
        verdict="Veredito",
        agenda="Agenda",
        key_takeaways="Pontos-chave",
        continued="(cont.)",
        continued_n="(cont. {n})",
        continued_notes="Continuação: {title}.",
        page_of="Página {page} de {pages}",
        confidential="Confidencial",
        for_audience="preparado para {audience}",
        prepared_for_audience="Preparado para {audience}",
        tone_note="Nota",
        tone_tip="Dica",
        tone_warning="Aviso",
        tone_success="Sucesso",
        source="Fonte:",
        chart_data="Dados",
    ),
    "it": Labels(
        kicker="Nota informativa",
        prepared_for="Preparato per",
        published_by="Pubblicato da",
        date="Data",
        contents="Indice",
        about="Informazioni su questa nota",
        summary="In breve",
        derived="Ricavato dalle affermazioni dell’articolo, non letterale.",
        derived_table="Tabella derivata: compilata da fatti che l’articolo riporta altrove; "
        "non fa parte del testo originale.",
        verdict="Verdetto",
        agenda="Agenda",
        key_takeaways="Punti chiave",
        continued="(segue)",
        continued_n="(segue {n})",
        continued_notes="Segue: {title}.",
        page_of="Pagina {page} di {pages}",
        confidential="Riservato",
        for_audience="preparato per {audience}",
        prepared_for_audience="Preparato per {audience}",
        tone_note="Nota",
        tone_tip="Suggerimento",
        tone_warning="Avvertenza",
        tone_success="Successo",
        source="Fonte:",
        chart_data="Dati",
    ),
    "nl": Labels(
        kicker="Briefing",
        prepared_for="Opgesteld voor",
        published_by="Uitgegeven door",
        date="Datum",
        contents="Inhoud",
        about="Over deze briefing",
        summary="In het kort",
        derived="Afgeleid uit de uitspraken van het artikel, niet letterlijk.",
        derived_table="Afgeleide tabel: samengesteld uit feiten die het artikel elders noemt; "
        "geen deel van de oorspronkelijke tekst.",
        verdict="Conclusie",
        agenda="Agenda",
        key_takeaways="Belangrijkste punten",
        continued="(vervolg)",
        continued_n="(vervolg {n})",
        continued_notes="Vervolg: {title}.",
        page_of="Pagina {page} van {pages}",
        confidential="Vertrouwelijk",
        for_audience="opgesteld voor {audience}",
        prepared_for_audience="Opgesteld voor {audience}",
        tone_note="Opmerking",
        tone_tip="Tip",
        tone_warning="Waarschuwing",
        tone_success="Succes",
        source="Bron:",
        chart_data="Gegevens",
    ),
    "ja": Labels(
        kicker="ブリーフィング",
        prepared_for="対象",
        published_by="発行",
        date="日付",
        contents="目次",
        about="このブリーフィングについて",
        summary="要約",
        derived="記事の記述から導いたもので、原文の引用ではありません。",
        derived_table="派生表：記事の他の箇所に記載された事実から作成したもので、原文には"
        "含まれません。",
        verdict="結論",
        agenda="アジェンダ",
        key_takeaways="要点",
        continued="（続き）",
        continued_n="（続き {n}）",
        continued_notes="続き：{title}",
        page_of="{page} / {pages} ページ",
        confidential="社外秘",
        for_audience="{audience} 向け",
        prepared_for_audience="{audience} 向け",
        tone_note="注記",
        tone_tip="ヒント",
        tone_warning="警告",
        tone_success="成功",
        source="出典：",
        chart_data="データ",
    ),
}


def catalogue_for(language: str) -> Labels:
    """The catalogue's labels for a BCP 47 tag: 'de-CH' uses 'de'; unknown ones English."""
    return CATALOGUE.get(language) or CATALOGUE.get(language.split("-")[0]) or _EN


def has_translation(language: str) -> bool:
    return language in CATALOGUE or language.split("-")[0] in CATALOGUE


def labels_for(document: Document, theme: HasLabels) -> Labels:
    """The labels a document prints in a theme: language, then theme, then profile."""
    return _merged(document.language, tuple(theme.labels.items()),
                   tuple(document.labels.items()))  # fmt: skip


@cache
def _merged(language: str, *overrides: tuple[tuple[str, str], ...]) -> Labels:
    labels = catalogue_for(language)
    for layer in overrides:
        labels = dataclasses.replace(labels, **dict(layer))
    return labels


def placeholders(key: str) -> frozenset[str]:
    """The {names} a label may use (English shows them all)."""
    import string

    text = str(getattr(_EN, key))
    return frozenset(name for _, name, _, _ in string.Formatter().parse(text) if name)


def strings(labels: Labels) -> list[str]:
    """Every label's text as printed (placeholders blank), for the glyph check."""
    return [str(getattr(labels, k)).format_map(_Blank()) for k in KEYS]


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


def override_problems(
    overrides: Mapping[str, str],
    area: str,
    keys: Mapping[str, SourceLocation],
    fallback: SourceLocation | None,
) -> list[Diagnostic]:
    """Located errors for a `labels:` mapping, at each bad key's own line."""
    return [
        Diagnostic(
            "error",
            f"{area}.label",
            problem,
            keys.get(key, fallback),
            f"label keys are listed in the README ('{KEYS[0]}', '{KEYS[1]}', ...)",
        )
        for key, problem in check_overrides(overrides)
    ]


def check_overrides(overrides: Mapping[str, str]) -> list[tuple[str, str]]:
    """(key, problem) for each override with an unknown key or an unknown placeholder."""
    import difflib
    import string

    problems = []
    for key, text in overrides.items():
        if key not in KEYS:
            close = difflib.get_close_matches(key, KEYS, n=1)
            problems.append(
                (key, f"unknown label '{key}'" + (f"; did you mean '{close[0]}'?" if close else ""))
            )
            continue
        allowed = placeholders(key)
        used = {name for _, name, _, _ in string.Formatter().parse(text) if name}
        for name in sorted(used - allowed):
            shown = ", ".join(f"{{{n}}}" for n in sorted(allowed)) or "none"
            problems.append(
                (key, f"label '{key}' has an unknown placeholder {{{name}}} (it may use {shown})")
            )
    return problems

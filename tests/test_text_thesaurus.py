"""The built-in customer-service thesaurus: its shape and the lookup table built from it."""

from __future__ import annotations

import ast
from pathlib import Path

from scriptlab.text import thesaurus as module
from scriptlab.text.thesaurus import GENERAL, GENERAL_GROUPS, GROUPS, PROTECTED, thesaurus


def test_groups_are_clean_data() -> None:
    groups = (*GROUPS, *GENERAL_GROUPS)
    assert len(groups) >= 150
    names = [g[0] for g in groups]
    assert len(names) == len(set(names)), "each group has its own canonical name"
    assert {g[0] for g in GENERAL_GROUPS} == GENERAL
    for group in groups:
        assert len(group) >= 2, group
        for word in group:
            assert word == word.strip().lower() and word, (group, word)


def test_table_maps_words_to_their_groups() -> None:
    table = thesaurus()
    assert table["快递费"] == ("运费",)
    assert table["运费"] == ("运费",)
    assert table["尺寸"] == ("尺码", "尺寸")  # in two groups, first group first
    assert table["多少"] == ()  # protected: not 少
    assert all(word in table for word in PROTECTED)


def test_shop_groups_extend_or_add() -> None:
    table = thesaurus({"运费": ["邮递费"], " 暖居 ": ["暖居小铺", " "], "": ["x"]})
    assert table["邮递费"] == ("运费",)
    assert table["暖居小铺"] == ("暖居",)
    assert table["暖居"] == ("暖居",)
    assert "" not in table and "x" not in table
    assert "邮递费" not in thesaurus()


def test_module_imports_nothing_but_the_standard_library() -> None:
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    imported = {n.module if isinstance(n, ast.ImportFrom) else a.name
                for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)
                for a in (n.names if isinstance(n, ast.Import) else [n])}
    assert imported <= {"__future__", "collections.abc", "scriptlab.lexicon"}


def test_words_of_several_shops_and_common_slips() -> None:
    table = thesaurus()
    # pinyin-input slips and chat abbreviations read as the word they stand for
    assert table["包油"] == ("包邮",)
    assert table["优惠卷"] == ("优惠券",)
    assert table["冲电"] == ("充电",)
    assert table["按装"] == ("安装",)
    assert table["fh"] == ("发货",)
    # electronics, beauty, food and home topics sit next to the clothing ones
    assert table["质保"] == ("保修",)
    assert table["连不上"] == ("连接",)
    assert table["防伪码"] == ("正品",)
    assert table["生产日期"] == ("生产日期",)
    assert table["冰袋"] == ("冷链",)
    assert table["甲醛超标"] == ("甲醛",)
    # a word with two meanings stands for both (a broken device, spoilt food)
    assert table["坏了"] == ("故障", "变质")


def test_a_term_joining_two_topics_keeps_both() -> None:
    # Matching takes the longest term, so 什么时候发 must carry both of its topics itself.
    table = thesaurus()
    assert set(table["什么时候发"]) == {"什么时候", "发货"}
    assert set(table["多久到账"]) == {"多久", "到账"}
    assert set(table["换个地址"]) == {"修改", "地址"}


def test_product_names_are_not_questions() -> None:
    # A shorter term inside a product name or an everyday word is not read into it.
    table = thesaurus()
    for word in ("洗面奶", "充电宝", "智能", "取暖器", "果冻", "数码", "装修", "印花"):
        assert table[word] == (), word


def test_protected_words_guard_a_shorter_term() -> None:
    # Every protected word added with the shop-wide thesaurus hides a term that would
    # otherwise match inside it (the older ones guard words that left the thesaurus).
    table = thesaurus()
    legacy = {"多少", "至少", "不少", "减少", "少女", "白天", "明白", "坦白", "白条", "黑五",
              "无论", "无所谓", "缺点", "领口", "领子", "衣领", "圆领", "翻领"}
    for word in PROTECTED:
        if word in legacy:
            continue
        inner = [word[i:j] for i in range(len(word)) for j in range(i + 1, len(word) + 1)
                 if word[i:j] != word and table.get(word[i:j])]
        assert inner, word


def test_general_groups_are_question_words() -> None:
    table = thesaurus()
    assert table["能"] == ("可以",)
    assert table["哪款"] == ("哪个",)
    assert table["能到"] == ("到货",)  # the longer term wins over 能


def test_lookup_concepts_follow_broader_links_and_mining_does_not() -> None:
    from scriptlab.text.thesaurus import BROADER, search_concepts

    assert ("包邮", "运费") in BROADER
    concepts = search_concepts({"运费": ["邮递费"]})
    assert concepts["免运费"] == ("包邮", "运费")  # free shipping is a shipping-fee question
    assert concepts["邮递费"] == ("运费",)  # the broader group itself gains nothing
    assert thesaurus()["免运费"] == ("包邮",)  # mining keeps the two topics apart
    assert concepts["多少"] == ()


def test_baby_pet_shoe_sports_and_other_shops() -> None:
    table = thesaurus()
    # baby and maternity: the words parents use for the same product or question
    assert table["尿不湿"] == table["腰贴"] == ("纸尿裤",)
    assert table["伞车"] == table["婴儿车"] == ("推车",)
    assert table["转奶"] == table["换粮"] == table["新旧混合"] == ("过渡",)
    assert table["红屁屁"] == ("红屁股",)
    assert table["几段"] == table["2段"] == ("段数",)
    # pets
    assert table["挑食"] == ("适口性",)
    assert table["灰大"] == ("粉尘",)
    assert table["拉稀"] == table["软便"] == ("吃坏肚子",)
    assert table["拆家"] == ("耐咬",)
    # shoes, bags and luggage; sports and outdoor
    assert table["脚背高"] == table["宽楦"] == ("脚型",)
    assert table["头层牛皮"] == table["人造革"] == ("真皮",)
    assert table["莆田货"] == ("正品",)
    assert table["万向轮"] == ("轮子",)
    assert table["跑位"] == table["打滑"] == ("防滑",)
    assert table["哑玲"] == ("哑铃",)  # a common pinyin-input slip
    assert table["睡得下"] == ("几人",)
    assert table["速开"] == ("搭建",)
    # books, jewellery, furniture, car accessories
    assert table["掉页"] == ("缺页",)
    assert table["s925"] == ("纯银",)
    assert table["上楼费"] == ("送货上楼",)
    assert table["卡罗拉"] == ("车型",)


def test_a_word_sits_where_it_usually_means_one_thing() -> None:
    table = thesaurus()
    # 漏水: a tent in the rain or a leaking cup, not a damaged parcel or a broken device
    assert table["漏水"] == ("防水",)
    # a damage that may happen asks how sturdy a thing is; one that happened is damage
    assert table["会裂"] == table["耐摔"] == ("耐摔",)
    assert table["裂了"] == ("破损",)
    # words with several meanings across shops carry no topic on their own: 速度 (shipping
    # or a treadmill), 卡住 (a parcel or a zip), 箱子 (a carton or a suitcase), 能放 / 能装
    # (capacity or "can it go in the dishwasher / does it fit")
    for word in ("速度", "卡住", "箱子", "能放", "能装"):
        assert word not in table, word
    assert table["物流卡住"] == ("不更新",)
    # the longer word wins, so these are not read as the shorter term inside them
    for word in ("一段时间", "影响", "顺滑", "折叠屏", "换奶瓶", "反渗透"):
        assert table[word] == (), word


def test_joined_topics_in_the_new_domains() -> None:
    table = thesaurus()
    assert set(table["什么时候产"]) == {"什么时候", "生产日期"}
    assert set(table["岁的孩子"]) == {"年龄", "儿童"}
    assert set(table["质量也太差"]) == {"质量问题", "质量"}
    assert table["用几号"] == ("尺码",)  # 5个月用几号奶嘴: a size, not a date (几号)


def test_new_broader_links() -> None:
    from scriptlab.text.thesaurus import search_concepts

    concepts = search_concepts()
    assert concepts["会压坏"] == ("承重", "容量")  # a weight limit is a capacity
    assert concepts["睡得下"] == ("几人", "容量")
    assert concepts["蒸汽消毒"] == ("消毒", "洗涤")
    assert concepts["挑食"] == ("适口性", "口味")
    assert concepts["卡罗拉"] == ("车型", "兼容")
    assert thesaurus()["蒸汽消毒"] == ("消毒",)  # mining keeps them apart

from django.db import models


class Order(models.Model):
    item = models.CharField(max_length=200)
    quantity = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]

    def as_dict(self):
        return {
            "id": self.id,
            "item": self.item,
            "quantity": self.quantity,
            "created_at": self.created_at.isoformat(),
        }
